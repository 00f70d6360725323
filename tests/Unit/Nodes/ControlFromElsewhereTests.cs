using System.Net;
using System.Text;
using LanScatter.Core.Nodes;
using LanScatter.Tests.Support;

namespace LanScatter.Tests.Nodes;

/// <summary>Until a swarm has a secret, a master takes control actions from its own machine only.</summary>
public class ControlFromElsewhereTests
{
    [NonLoopbackFact]
    public async Task Limits_posted_from_a_non_loopback_address_are_refused_with_403_and_change_nothing()
    {
        using var folder = new TempFolder();
        folder.Write("a.txt", "a");
        var address = NonLoopbackFactAttribute.Address.Value!.ToString();
        await using var master = await MasterNode.StartAsync(new MasterOptions { Path = folder.Path, Port = 0, Bind = address, UploadLimitMbit = 100 }).Within(60);

        using var http = new HttpClient();
        var response = await http.PostAsync($"http://{address}:{master.Port}/api/limits",
            new StringContent("""{"uploadMbps":1}""", Encoding.UTF8, "application/json")).Within(10);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("own machine only", await response.Content.ReadAsStringAsync());
        Assert.Equal(100, master.Status.UploadLimitMbit);
    }
}
