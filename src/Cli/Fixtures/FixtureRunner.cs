using System.Collections.Concurrent;
using System.Text.Json;

namespace BeamSync.Cli.Fixtures;

/// <summary>Walks files and folders, recognizes each fixture file's kind and runs it, files in parallel.</summary>
public sealed class FixtureRunner(IReadOnlyList<IFixtureKind> kinds)
{
    public static IEnumerable<string> FindFiles(IEnumerable<string> paths)
    {
        foreach (var p in paths)
        {
            if (File.Exists(p)) { yield return p; continue; }
            if (!Directory.Exists(p)) throw new DirectoryNotFoundException($"fixture path not found: {p}");
            foreach (var f in Directory.EnumerateFiles(p, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                yield return f;
        }
    }

    /// <summary>Runs every file; <paramref name="onFileDone"/> is called once per file, in file order.</summary>
    public void Run(IReadOnlyList<string> files, Action<IReadOnlyList<CaseResult>> onFileDone, int? parallelism = null)
    {
        var done = new ConcurrentDictionary<int, IReadOnlyList<CaseResult>>();
        int next = 0;
        object gate = new();
        var options = new ParallelOptions { MaxDegreeOfParallelism = parallelism ?? Environment.ProcessorCount };
        Parallel.For(0, files.Count, options, i =>
        {
            done[i] = RunFile(files[i]);
            lock (gate)
            {
                while (done.TryRemove(next, out var results))
                {
                    onFileDone(results);
                    next++;
                }
            }
        });
    }

    public IReadOnlyList<CaseResult> RunFile(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var doc = JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 256 });
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return [];
            JsonElement first = default;
            foreach (var p in root.EnumerateObject()) { first = p.Value; break; }
            if (first.ValueKind != JsonValueKind.Object) return [];
            var kind = kinds.FirstOrDefault(k => k.Recognizes(path, first));
            if (kind is null) return [];
            var results = new List<CaseResult>();
            try
            {
                results.AddRange(kind.Run(path, root));
            }
            catch (Exception e)
            {
                results.Add(CaseResult.Fail(path, "(file)", "", $"{kind.Name} runner crashed: {e.GetType().Name}: {e.Message}"));
            }
            return results;
        }
        catch (JsonException e)
        {
            return [CaseResult.Fail(path, "(file)", "", $"invalid JSON: {e.Message}")];
        }
    }
}
