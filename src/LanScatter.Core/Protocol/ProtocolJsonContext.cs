using System.Text.Json.Serialization;

namespace LanScatter.Core.Protocol;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(HelloMessage))]
[JsonSerializable(typeof(ChallengeMessage))]
[JsonSerializable(typeof(AuthMessage))]
[JsonSerializable(typeof(WelcomeMessage))]
[JsonSerializable(typeof(ManifestDeltaMessage))]
[JsonSerializable(typeof(FetchMessage))]
[JsonSerializable(typeof(AbortMessage))]
[JsonSerializable(typeof(HaveMessage))]
[JsonSerializable(typeof(LostMessage))]
[JsonSerializable(typeof(TransferMessage))]
[JsonSerializable(typeof(StatusMessage))]
[JsonSerializable(typeof(LeavingMessage))]
[JsonSerializable(typeof(LimitsMessage))]
[JsonSerializable(typeof(ErrorMessage))]
[JsonSerializable(typeof(Nodes.SwarmStatusDto))]
[JsonSerializable(typeof(Nodes.SwarmDocument))]
[JsonSerializable(typeof(Nodes.SwarmMatrix))]
[JsonSerializable(typeof(Nodes.LimitsRequest))]
internal sealed partial class ProtocolJsonContext : JsonSerializerContext
{
}
