namespace BeamSync.Rpc.Engine;

/// <summary>A small map that forgets its oldest entries past a capacity (a flood of calls keeps memory bounded). Thread-safe.</summary>
public sealed class BoundedMap<TKey, TValue>(int capacity) where TKey : notnull
{
    private readonly Dictionary<TKey, TValue> _map = [];
    private readonly Queue<TKey> _order = new();

    public void Set(TKey key, TValue value)
    {
        lock (_map)
        {
            if (!_map.ContainsKey(key)) _order.Enqueue(key);
            _map[key] = value;
            while (_order.Count > capacity) _map.Remove(_order.Dequeue());
        }
    }

    public bool TryGet(TKey key, out TValue value)
    {
        lock (_map) return _map.TryGetValue(key, out value!);
    }
}
