using System.Text.Json.Serialization;

namespace LanScatter.Core.Manifest;

/// <summary>Source-generated (reflection-free) JSON for manifests and the hash cache.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(ManifestDto))]
[JsonSerializable(typeof(HashCacheDto))]
[JsonSerializable(typeof(ManifestIndexDto))]
internal sealed partial class ManifestJsonContext : JsonSerializerContext
{
}
