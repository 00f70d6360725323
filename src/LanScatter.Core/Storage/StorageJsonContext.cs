using System.Text.Json.Serialization;

namespace LanScatter.Core.Storage;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(PartialStateDto))]
[JsonSerializable(typeof(PeerIdentityDto))]
internal sealed partial class StorageJsonContext : JsonSerializerContext
{
}
