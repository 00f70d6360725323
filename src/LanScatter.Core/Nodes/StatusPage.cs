using System.Net;
using System.Text;
using LanScatter.Core.Manifest;

namespace LanScatter.Core.Nodes;

/// <summary>The master's plain HTML status page (refreshes itself); the JSON is at /api/swarm.</summary>
internal static class StatusPage
{
    public static string Render(NodeStatus status, int manifestVersion)
    {
        var sb = new StringBuilder();
        sb.Append("<!doctype html><html><head><meta charset=\"utf-8\"><meta http-equiv=\"refresh\" content=\"2\"><title>LanScatter</title>");
        sb.Append("<style>body{font-family:sans-serif}td,th{padding:2px 8px;text-align:left}</style></head><body>");
        sb.Append($"<h1>LanScatter master {Html(status.Name)}</h1><p>{status.State}, manifest version {manifestVersion}, {ChunkSizing.Format(status.BytesTotal)}, uploading {status.UploadBytesPerSecond / 1e6:F1} MB/s</p>");
        sb.Append("<table><tr><th>peer</th><th>address</th><th>state</th><th>progress</th><th>slow</th></tr>");
        foreach (var p in status.Peers)
        {
            sb.Append($"<tr><td>{Html(p.Name)}</td><td>{Html(p.Address)}:{p.Port}</td><td>{p.State}</td><td>{p.Percent.ToString("F1", System.Globalization.CultureInfo.InvariantCulture)}%</td><td>{(p.Slow ? "yes" : "")}</td></tr>");
        }
        sb.Append("</table></body></html>");
        return sb.ToString();
    }

    private static string Html(string s) => WebUtility.HtmlEncode(s);
}
