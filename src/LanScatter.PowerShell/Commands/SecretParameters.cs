using System.Management.Automation;
using System.Net;
using System.Security;
using LanScatter.Core.Diagnostics;
using LanScatter.Core.Security;
using LanScatter.PowerShell.Jobs;

namespace LanScatter.PowerShell.Commands;

/// <summary>-Secret and -SecretFile, shared by the cmdlets: the secret given, else LANSCATTER_SECRET, else none (an open swarm).</summary>
internal static class SecretParameters
{
    public static SwarmSecret? Resolve(PSCmdlet cmdlet, SecureString? secret, string? secretFile)
    {
        try
        {
            if (secret is not null && !string.IsNullOrEmpty(secretFile))
                throw new LanScatterException("InvalidSecret", "give -Secret or -SecretFile, not both");
            // NetworkCredential unwraps a SecureString on Windows PowerShell 5.1 and PowerShell 7 alike.
            if (secret is not null) return SwarmSecret.FromText(new NetworkCredential("", secret).Password, "-Secret");
            if (!string.IsNullOrEmpty(secretFile)) return SwarmSecret.FromFile(cmdlet.GetUnresolvedProviderPathFromPSPath(secretFile));
            return SwarmSecret.FromEnvironment();
        }
        catch (LanScatterException ex)
        {
            cmdlet.ThrowTerminatingError(ErrorRecords.From(ex, secretFile ?? SwarmSecret.EnvironmentVariable));
            return null;
        }
    }
}
