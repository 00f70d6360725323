using LanScatter.Core.Transport.Http;

namespace LanScatter.Core.Security;

/// <summary>The 401 answer: no data, a line saying what is missing, and for pages a prompt browsers show.</summary>
internal static class Unauthorized
{
    public static async Task WriteAsync(HttpExchange context, bool readOnly)
    {
        var response = context.Response;
        response.StatusCode = 401;
        // Browsers ask for a user name and password: any name, the read token as the password.
        if (readOnly) response.SetHeader("WWW-Authenticate", "Basic realm=\"LanScatter swarm (password: the read token, lanscatter secret read-token)\", charset=\"UTF-8\"");
        var text = readOnly
            ? "this LanScatter swarm has a secret: send its read token (Authorization: Bearer TOKEN) or a member's signature\n"
            : "this LanScatter swarm has a secret: only its members may do this\n";
        await response.WriteTextAsync("text/plain; charset=utf-8", text).ConfigureAwait(false);
    }
}
