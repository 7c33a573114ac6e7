namespace BeamSync.Core.Specs;

/// <summary>
/// Execution-layer forks in activation order; rules compare with <c>&gt;=</c>. Forks that changed only the
/// difficulty bomb (MuirGlacier, ArrowGlacier, GrayGlacier) and blob-parameter-only forks (EIP-7892) are listed
/// so a chain spec can name them; they change no execution rule beyond their parameters.
/// </summary>
public enum Fork
{
    Frontier,
    Homestead,
    Dao,
    TangerineWhistle,   // EIP-150
    SpuriousDragon,     // EIP-155, EIP-158/161
    Byzantium,
    Constantinople,
    Petersburg,         // "ConstantinopleFix" in ethereum/tests
    Istanbul,
    MuirGlacier,
    Berlin,
    London,
    ArrowGlacier,
    GrayGlacier,
    Paris,              // the merge
    Shanghai,
    Cancun,
    Prague,
    Osaka,
    Bpo1,
    Bpo2,
    Bpo3,
    Bpo4,
    Bpo5,
}
