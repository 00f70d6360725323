namespace LanScatter.Tests.Support;

/// <summary>A test of code that runs only on CPUs with AVX2: skipped, and said so, elsewhere.</summary>
internal sealed class Avx2FactAttribute : FactAttribute
{
    public Avx2FactAttribute()
    {
        if (!System.Runtime.Intrinsics.X86.Avx2.IsSupported) Skip = "this CPU has no AVX2";
    }
}
