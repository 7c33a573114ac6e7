using System.Collections.Concurrent;
using System.Text.Json;

namespace BeamSync.Cli.Fixtures;

/// <summary>
/// Walks files and folders, recognizes each fixture file's kind and runs it, files in parallel. The runner owns the
/// skip policy: a case may count as skipped only when its kind is not implemented yet and
/// <paramref name="skipsFail"/> is false (CI sets it); every other skip becomes a failure with the reason.
/// Thread-safe for one <see cref="Run"/> at a time.
/// </summary>
public sealed class FixtureRunner(IReadOnlyList<IFixtureKind> kinds, bool skipsFail = false)
{
    /// <summary>Every *.json under the paths, each folder's files in ordinal order. Throws <see cref="FileNotFoundException"/> for a missing path.</summary>
    public static IEnumerable<string> FindFiles(IEnumerable<string> paths)
    {
        foreach (var p in paths)
        {
            if (File.Exists(p)) { yield return p; continue; }
            if (!Directory.Exists(p)) throw new FileNotFoundException($"fixture path not found: {p}", p);
            foreach (var f in Directory.EnumerateFiles(p, "*.json", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
                yield return f;
        }
    }

    /// <summary>Runs every file; <paramref name="onFileDone"/> is called once per file, in file order, never concurrently.</summary>
    public void Run(IReadOnlyList<string> files, Action<FileResult> onFileDone, int parallelism)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(parallelism, 1);
        var done = new ConcurrentDictionary<int, FileResult>();
        int next = 0;
        object gate = new();
        var options = new ParallelOptions { MaxDegreeOfParallelism = parallelism };
        Parallel.For(0, files.Count, options, i =>
        {
            done[i] = RunFile(files[i]);
            lock (gate)
            {
                while (done.TryRemove(next, out var result))
                {
                    onFileDone(result);
                    next++;
                }
            }
        });
    }

    public FileResult RunFile(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var doc = JsonDocument.Parse(stream, new JsonDocumentOptions { MaxDepth = 256 });
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return new(path, [], $"the top level is {Describe(root.ValueKind)}, not an object of tests");
            JsonElement first = default;
            foreach (var p in root.EnumerateObject()) { first = p.Value; break; }
            if (first.ValueKind != JsonValueKind.Object)
                return new(path, [], first.ValueKind == JsonValueKind.Undefined ? "an empty object: no tests" : "its first entry is not a test object");
            var kind = kinds.FirstOrDefault(k => k.Recognizes(path, first));
            if (kind is null) return new(path, [], "no fixture kind has tests of this shape");
            var results = new List<CaseResult>();
            try
            {
                results.AddRange(kind.Run(path, root));
            }
            catch (Exception e)
            {
                results.Add(CaseResult.Fail(path, "(file)", "", $"{kind.Name} runner crashed: {e.GetType().Name}: {e.Message}"));
            }
            return new(path, ApplySkipPolicy(kind, results));
        }
        catch (JsonException e)
        {
            return new(path, [CaseResult.Fail(path, "(file)", "", $"invalid JSON: {e.Message}")]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new(path, [CaseResult.Fail(path, "(file)", "", $"unreadable: {e.Message}")]);
        }
    }

    private List<CaseResult> ApplySkipPolicy(IFixtureKind kind, List<CaseResult> results)
    {
        for (int i = 0; i < results.Count; i++)
        {
            var r = results[i];
            if (r.Status != CaseStatus.Skipped) continue;
            if (kind.Implemented)
                results[i] = r with { Status = CaseStatus.Failed, Reason = $"skipped, but {kind.Name} fixtures are implemented: {r.Reason}" };
            else if (skipsFail)
                results[i] = r with { Status = CaseStatus.Failed, Reason = $"skipped, and CI=true fails every skip: {r.Reason}" };
        }
        return results;
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
