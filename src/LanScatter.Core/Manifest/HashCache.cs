using System.Text.Json;
using LanScatter.Core.Storage;

namespace LanScatter.Core.Manifest;

/// <summary>
/// Chunk ids of files already hashed, keyed by path and trusted while size, last write time and
/// chunk size are unchanged, so a rescan reads only what changed. Stored in the state folder;
/// a missing or damaged cache just means hashing again. A master keeps one in memory across its
/// rescans and writes it only when it changed: reading and writing 17 MB of JSON for 100,000 files
/// was most of a rescan that found nothing new.
/// </summary>
internal sealed class HashCache
{
    private const int Format = 1;
    public const string FileName = "hashcache.json";

    private readonly Dictionary<string, HashCacheEntryDto> _entries;

    /// <summary>Differs from what was last loaded or saved.</summary>
    public bool Changed { get; private set; }

    private HashCache(Dictionary<string, HashCacheEntryDto> entries) => _entries = entries;

    public static HashCache Empty() => new(new Dictionary<string, HashCacheEntryDto>(StringComparer.Ordinal));

    public static string PathIn(string root) => Path.Combine(StateFolder.PathIn(root), FileName);

    public static HashCache Load(string root)
    {
        var cache = Empty();
        try
        {
            var path = PathIn(root);
            if (!File.Exists(path)) return cache;
            var dto = JsonSerializer.Deserialize(File.ReadAllBytes(path), ManifestJsonContext.Default.HashCacheDto);
            if (dto?.Format != Format || dto.Files is null) return cache;
            // Ids are checked once here, not on every lookup of every rescan.
            foreach (var e in dto.Files)
            {
                if (e?.Path is not null && e.Ids is not null && e.Ids.All(ChunkId.IsValid)) cache._entries[e.Path] = e;
                else cache.Changed = true;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            // A cache is an optimisation: unreadable means empty.
        }
        return cache;
    }

    public int Count => _entries.Count;

    public IReadOnlyList<string>? TryGet(string path, long size, DateTime modifiedUtc, long chunkSize)
    {
        if (!_entries.TryGetValue(path, out var e)) return null;
        if (e.Size != size || e.ModifiedTicks != modifiedUtc.Ticks || e.ChunkSize != chunkSize) return null;
        return e.Ids!.Count == ChunkLayout.Count(size, chunkSize) ? e.Ids : null;
    }

    public void Set(string path, long size, DateTime modifiedUtc, long chunkSize, IReadOnlyList<string> ids)
    {
        _entries[path] = new HashCacheEntryDto { Path = path, Size = size, ModifiedTicks = modifiedUtc.Ticks, ChunkSize = chunkSize, Ids = ids.ToList() };
        Changed = true;
    }

    public void Remove(string path)
    {
        if (_entries.Remove(path)) Changed = true;
    }

    /// <summary>Forgets every path not in <paramref name="keep"/>.</summary>
    public void RetainOnly(IEnumerable<string> keep)
    {
        var set = new HashSet<string>(keep, StringComparer.Ordinal);
        foreach (var path in _entries.Keys.Where(p => !set.Contains(p)).ToList())
        {
            _entries.Remove(path);
            Changed = true;
        }
    }

    public void Save(string root)
    {
        Write(root, _entries.Values.ToList());
        Changed = false;
    }

    /// <summary>
    /// The entries to write when the cache changed since it was loaded or last taken, else null; for a
    /// caller that writes them (<see cref="Write"/>) outside the lock that guards this cache.
    /// </summary>
    public List<HashCacheEntryDto>? TakeChanges()
    {
        if (!Changed) return null;
        Changed = false;
        return _entries.Values.ToList();
    }

    /// <summary>Taken changes that could not be written: the next save tries again.</summary>
    public void MarkChanged() => Changed = true;

    // Entries are replaced, never changed in place, so a taken list stays what it was. Unsorted:
    // order does not matter to Load, and a million paths need not be sorted on every save.
    public static void Write(string root, List<HashCacheEntryDto> entries) =>
        AtomicFile.WriteAllBytes(PathIn(root), JsonSerializer.SerializeToUtf8Bytes(new HashCacheDto { Format = Format, Files = entries }, ManifestJsonContext.Default.HashCacheDto));
}
