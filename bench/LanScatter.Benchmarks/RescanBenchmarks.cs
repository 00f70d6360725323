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
    private string _json = null!;

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
        _json = ManifestJson.Serialize(FolderScanner.ScanAsync(_root, _options).GetAwaiter().GetResult());
    }

    [Benchmark(Baseline = true)]
    public long ListSizesAndTimes()
    {
        long sum = 0;
        foreach (var f in new DirectoryInfo(_root).EnumerateFiles("*", SearchOption.AllDirectories)) sum += f.Length + f.LastWriteTimeUtc.Ticks;
        return sum;
    }

    [Benchmark]
    public bool RescanUnchanged()
    {
        var manifest = FolderScanner.ScanAsync(_root, _options).GetAwaiter().GetResult();
        return ManifestJson.Serialize(manifest) == _json;
    }
}
