using BenchmarkDotNet.Running;

namespace LanScatter.Benchmarks;

internal static class Program
{
    // dotnet run -c Release --project bench/LanScatter.Benchmarks -- --filter '*'
    private static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
