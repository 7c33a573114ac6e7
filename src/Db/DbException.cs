namespace BeamSync.Db;

/// <summary>A store could not be opened, read or written (I/O error, corruption, a lock held by another process).</summary>
public sealed class DbException : Exception
{
    public string? Path { get; }

    public DbException(string message, string? path = null, Exception? inner = null) : base(message, inner) => Path = path;
}
