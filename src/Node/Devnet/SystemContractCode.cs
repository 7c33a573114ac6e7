using BeamSync.Chain.Processing;
using BeamSync.Core;
using BeamSync.Core.Specs;

namespace BeamSync.Node.Devnet;

/// <summary>
/// The deployed code of the system contracts a Prague block calls, as their EIPs publish it (EIP-4788 beacon roots,
/// EIP-2935 block hash history, EIP-7002 withdrawal requests, EIP-7251 consolidation requests). A devnet genesis must
/// hold them: a Prague block whose EIP-7002 or EIP-7251 contract is missing is invalid. Immutable; thread-safe.
/// </summary>
public static class SystemContractCode
{
    public static readonly byte[] BeaconRoots = Hex(
        "3373fffffffffffffffffffffffffffffffffffffffe14604d57602036146024575f5ffd5b5f35801560495762001fff8106" +
        "90815414603c575f5ffd5b62001fff01545f5260205ff35b5f5ffd5b62001fff42064281555f359062001fff015500");

    public static readonly byte[] HistoryStorage = Hex(
        "3373fffffffffffffffffffffffffffffffffffffffe14604657602036036042575f35600143038111604257611fff814303" +
        "11604257611fff9006545f5260205ff35b5f5ffd5b5f35611fff60014303065500");

    public static readonly byte[] WithdrawalRequests = Hex(
        "3373fffffffffffffffffffffffffffffffffffffffe1460cb5760115f54807fffffffffffffffffffffffffffffffffffff" +
        "ffffffffffffffffffffffffffff146101f457600182026001905f5b5f821115606857810190830284830290049160010191" +
        "90604d565b909390049250505036603814608857366101f457346101f4575f5260205ff35b34106101f45760015460010160" +
        "0155600354806003026004013381556001015f35815560010160203590553360601b5f5260385f601437604c5fa060010160" +
        "0355005b6003546002548082038060101160df575060105b5f5b8181146101835782810160030260040181604c0281546060" +
        "1b8152601401816001015481526020019060020154807fffffffffffffffffffffffffffffffff0000000000000000000000" +
        "0000000000168252906010019060401c908160381c81600701538160301c81600601538160281c81600501538160201c8160" +
        "0401538160181c81600301538160101c81600201538160081c81600101535360010160e1565b910180921461019557906002" +
        "556101a0565b90505f6002555f6003555b5f54807fffffffffffffffffffffffffffffffffffffffffffffffffffffffffff" +
        "ffffff14156101cd57505f5b6001546002828201116101e25750505f6101e8565b01600290035b5f555f600155604c025ff3" +
        "5b5f5ffd");

    public static readonly byte[] ConsolidationRequests = Hex(
        "3373fffffffffffffffffffffffffffffffffffffffe1460d35760115f54807fffffffffffffffffffffffffffffffffffff" +
        "ffffffffffffffffffffffffffff1461019a57600182026001905f5b5f821115606857810190830284830290049160010191" +
        "90604d565b9093900492505050366060146088573661019a573461019a575f5260205ff35b341061019a5760015460010160" +
        "0155600354806004026004013381556001015f358155600101602035815560010160403590553360601b5f5260605f601437" +
        "60745fa0600101600355005b6003546002548082038060021160e7575060025b5f5b81811461012957828101600402600401" +
        "81607402815460601b815260140181600101548152602001816002015481526020019060030154905260010160e9565b9101" +
        "80921461013b5790600255610146565b90505f6002555f6003555b5f54807fffffffffffffffffffffffffffffffffffffff" +
        "ffffffffffffffffffffffffff141561017357505f5b6001546001828201116101885750505f61018e565b01600190035b5f" +
        "555f6001556074025ff35b5f5ffd");

    /// <summary>The four contracts as genesis accounts (balance 1 wei, as the EIP deployments leave a nonzero account).</summary>
    public static IEnumerable<KeyValuePair<Address, GenesisAccount>> GenesisAccounts()
    {
        yield return new(SystemContracts.BeaconRoots, Account(BeaconRoots));
        yield return new(SystemContracts.HistoryStorage, Account(HistoryStorage));
        yield return new(SystemContracts.WithdrawalRequests, Account(WithdrawalRequests));
        yield return new(SystemContracts.ConsolidationRequests, Account(ConsolidationRequests));
    }

    private static GenesisAccount Account(byte[] code) => new(UInt256.One, 1, code, GenesisAccount.NoStorage);

    private static byte[] Hex(string hex) => Convert.FromHexString(hex);
}
