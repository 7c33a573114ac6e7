namespace BeamSync.Node.DataDir;

/// <summary>
/// Exclusive ownership of a data directory for the life of the process: a lock file inside it held open with an OS
/// file lock (<see cref="FileShare.None"/>; on Unix an advisory <c>flock</c>, released by the kernel when the process
/// dies, so a killed node never leaves a stale lock). A second holder, in this process or another, is refused.
/// Dispose releases it. Not thread-safe; one instance per node.
/// </summary>
public sealed class DataDirLock : IDisposable
{
    public const string FileName = "beamsync.lock";

    private readonly FileStream _file;

    private DataDirLock(string dataDir, FileStream file)
    {
        DataDir = dataDir;
        _file = file;
    }

    public string DataDir { get; }

    /// <summary>Creates the directory if needed and takes its lock, or throws <see cref="DataDirLockException"/>.</summary>
    public static DataDirLock Acquire(string dataDir)
    {
        var fullPath = Path.GetFullPath(dataDir);
        if (File.Exists(fullPath))
            throw new DataDirLockException(DataDirLockError.NotADirectory, fullPath, $"datadir {fullPath} is a file, not a directory");
        var lockPath = Path.Combine(fullPath, FileName);
        try
        {
            Directory.CreateDirectory(fullPath);
            var file = new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            RecordOwner(file);
            return new DataDirLock(fullPath, file);
        }
        catch (IOException e) when (File.Exists(lockPath) && !Directory.Exists(lockPath) && IsSharingViolation(e))
        {
            throw new DataDirLockException(DataDirLockError.InUse, fullPath,
                $"datadir {fullPath} is in use by another beamsync process (lock file {lockPath})");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new DataDirLockException(DataDirLockError.Inaccessible, fullPath, $"datadir {fullPath} cannot be locked: {e.Message}");
        }
    }

    /// <summary>The holder's pid, for whoever inspects the directory by hand; the lock itself is the OS lock.</summary>
    private static void RecordOwner(FileStream file)
    {
        var owner = System.Text.Encoding.ASCII.GetBytes($"{Environment.ProcessId}\n");
        file.SetLength(0);
        file.Write(owner);
        file.Flush();
    }

    // A held lock surfaces as an IOException that is not one of its more specific subtypes (not found, too long).
    private static bool IsSharingViolation(IOException e) =>
        e is not (FileNotFoundException or DirectoryNotFoundException or PathTooLongException);

    public void Dispose() => _file.Dispose();
}

public enum DataDirLockError { InUse, NotADirectory, Inaccessible }

/// <summary>The data directory cannot be owned by this process; <see cref="Exception.Message"/> is one line for the user.</summary>
public sealed class DataDirLockException(DataDirLockError error, string dataDir, string message) : Exception(message)
{
    public DataDirLockError Error { get; } = error;
    public string DataDir { get; } = dataDir;
}
