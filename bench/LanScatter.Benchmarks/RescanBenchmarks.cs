using BenchmarkDotNet.Attributes;
using LanScatter.Core.Manifest;

namespace LanScatter.Benchmarks;

/// <summary>
/// A master's rescan of an unchanged folder of many small files, its hash cache warm and kept in
/// memory, with the comparison it makes against the manifest it serves. The reference in the same
/// run is the floor of any rescan: listing the folder and reading every file's size and time.
/// </summary>
[MedianColumn]
[SimpleJob(launchCount: 1, warmupCount: 2, iterationCount: 7)]
public class RescanBenchmarks
{
    private string _root = null!;
    private ScanOptions _options = null!;
    private byte[] _index = null!;

    [Params(100_000)]
    public int Files { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _root = Path.Combine(Path.GetTempPath(), $"lanscatter-rescan-{Files}");
        if (!Directory.Exists(_root) || Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories).Count() < Files)
        {
            for (int i = 0; i < Files; i++)
            {
                var dir = Path.Combine(_root, $"d{i % 200:D3}");
                Directory.CreateDirectory(dir);
                File.WriteAllText(Path.Combine(dir, $"f{i:D6}.txt"), $"line {i}\n");
            }
        }
        _options = new ScanOptions { Cache = HashCache.Load(_root) };
        _index = ManifestPieces.Encode(FolderScanner.ScanAsync(_root, _options).GetAwaiter().GetResult()).Index;
    }

    [Benchmark(Baseline = true)]
    public long ListSizesAndTimes()
    {
        long sum = 0;
        foreach (var f in new DirectoryInfo(_root).EnumerateFiles("*", SearchOption.AllDirectories)) sum += f.Length + f.LastWriteTimeUtc.Ticks;
        return sum;
    }

    // The same listing asking each entry whether it is a link, as the walk did on .NET 8+ before
    // trusting the attributes: one readlink call per entry.
    [Benchmark]
    public long ListAndAskForLinkTargets()
    {
        long sum = 0;
        foreach (var f in new DirectoryInfo(_root).EnumerateFiles("*", SearchOption.AllDirectories)) sum += f.Length + f.LastWriteTimeUtc.Ticks + (f.LinkTarget is null ? 0 : 1);
        return sum;
    }

    // As the master compares: the index of the compact manifest names every piece by id.
    [Benchmark]
    public bool RescanUnchanged()
    {
        var manifest = FolderScanner.ScanAsync(_root, _options).GetAwaiter().GetResult();
        return ManifestPieces.Encode(manifest).Index.AsSpan().SequenceEqual(_index);
    }
}
