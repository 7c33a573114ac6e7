// Times evmone's baseline interpreter on the evm-benchmarks state-test files the way evmone-bench does
// (MockedHost, Istanbul, message gas = INT64_MAX, code analysed once, execute repeated), printing one line a case:
// "case gas nanoseconds-per-call rounds". Usage: fixture_bench DIR [filter] [--rounds N] [--min-ms M]. Built by build.sh.
#include <evmc/evmc.hpp>
#include <evmc/mocked_host.hpp>
#include <evmone/baseline.hpp>
#include <evmone/vm.hpp>
#include <evmone/evmone.h>
#include <nlohmann/json.hpp>
#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <vector>

namespace fs = std::filesystem;
using bytes = std::basic_string<uint8_t>;

static bytes from_hex(std::string s)
{
    if (s.starts_with("0x")) s = s.substr(2);
    bytes b;
    for (size_t i = 0; i + 1 < s.size(); i += 2) b.push_back((uint8_t)std::stoi(s.substr(i, 2), nullptr, 16));
    return b;
}

static std::string lower(std::string s) { std::ranges::transform(s, s.begin(), ::tolower); return s; }

int main(int argc, char** argv)
{
    std::string dir = argv[1], filter;
    int rounds = 5; double min_ms = 200;
    for (int i = 2; i < argc; ++i)
    {
        std::string a = argv[i];
        if (a == "--rounds") rounds = std::stoi(argv[++i]);
        else if (a == "--min-ms") min_ms = std::stod(argv[++i]);
        else filter = a;
    }
    std::vector<fs::path> files;
    for (auto& e : fs::recursive_directory_iterator(dir))
        if (e.path().extension() == ".json") files.push_back(e.path());
    std::ranges::sort(files);

    auto* vm = static_cast<evmone::VM*>(evmc_create_evmone());
    for (auto& path : files)
    {
        std::ifstream f(path);
        auto j = nlohmann::json::parse(f);
        auto& t = j.begin().value();
        auto to = lower(t["transaction"]["to"].get<std::string>());
        bytes code;
        for (auto& [addr, acc] : t["pre"].items())
            if (lower(addr) == to) code = from_hex(acc["code"].get<std::string>());
        auto labels = t["_info"]["labels"];
        const auto& datas = t["transaction"]["data"];
        const auto analysis = evmone::baseline::analyze(evmone::bytes_view{code.data(), code.size()}, false);
        for (size_t d = 0; d < datas.size(); ++d)
        {
            std::string label = labels.contains(std::to_string(d)) ? labels[std::to_string(d)].get<std::string>() : std::to_string(d);
            auto name = path.parent_path().filename().string() + "/" + path.stem().string() + "/" + label;
            if (!filter.empty() && name.find(filter) == std::string::npos) continue;
            auto input = from_hex(datas[d].get<std::string>());
            evmc::MockedHost host;
            evmc_message msg{};
            msg.kind = EVMC_CALL;
            msg.gas = std::numeric_limits<int64_t>::max();
            msg.input_data = input.data();
            msg.input_size = input.size();
            auto run = [&] {
                return evmc::Result{evmone::baseline::execute(*vm, host.get_interface(), host.to_context(), EVMC_ISTANBUL, msg, analysis)};
            };
            auto first = run();
            if (first.status_code != EVMC_SUCCESS) { std::cout << name << " FAILED " << first.status_code << "\n"; continue; }
            long gas_used = msg.gas - first.gas_left;
            std::vector<double> per_run;
            for (int r = 0; r < rounds; ++r)
            {
                int n = 0; auto start = std::chrono::steady_clock::now(); double elapsed;
                do { auto res = run(); ++n; elapsed = std::chrono::duration<double, std::nano>(std::chrono::steady_clock::now() - start).count(); }
                while (elapsed < min_ms * 1e6);
                per_run.push_back(elapsed / n);
            }
            std::ranges::sort(per_run);
            std::cout << name << " " << gas_used << " " << (long)per_run[per_run.size() / 2] << " " << rounds << std::endl;
        }
    }
}
