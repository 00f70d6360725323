using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LanScatter.Tests.Support.Browser;

/// <summary>
/// A headless Chromium driven over the DevTools protocol (one page): navigate, evaluate script,
/// send headers, take screenshots, and collect every console error and uncaught exception.
/// The browser is stopped by its process id.
/// </summary>
internal sealed class HeadlessChromium : IAsyncDisposable
{
    public static readonly Lazy<string?> Executable = new(() =>
        new[] { Environment.GetEnvironmentVariable("LANSCATTER_CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }
            .FirstOrDefault(p => !string.IsNullOrEmpty(p) && File.Exists(p)));

    private readonly Process _process;
    private readonly TempFolder _profile;
    private readonly ClientWebSocket _socket = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonObject>> _pending = new();
    private readonly CancellationTokenSource _stop = new();
    private Task? _receiving;
    private int _nextId;

    /// <summary>Console errors and uncaught exceptions of the page, as text.</summary>
    public ConcurrentQueue<string> Errors { get; } = new();

    private HeadlessChromium(Process process, TempFolder profile)
    {
        _process = process;
        _profile = profile;
    }

    public static async Task<HeadlessChromium> StartAsync(int width = 1920, int height = 1080)
    {
        var profile = new TempFolder();
        var start = new ProcessStartInfo(Executable.Value ?? throw new InvalidOperationException("no Chromium"))
        {
            RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false,
        };
        foreach (var arg in new[]
        {
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--no-default-browser-check",
            "--disable-extensions", "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--remote-debugging-port=0", "--user-data-dir=" + profile.Path, $"--window-size={width},{height}", "about:blank",
        }) start.ArgumentList.Add(arg);
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var browser = new HeadlessChromium(process, profile);
        try
        {
            await browser.ConnectAsync(width, height);
            return browser;
        }
        catch
        {
            await browser.DisposeAsync();
            throw;
        }
    }

    private async Task ConnectAsync(int width, int height)
    {
        // Chromium writes the port it chose to its profile folder.
        var portFile = Path.Combine(_profile.Path, "DevToolsActivePort");
        await Timeouts.Until(() => File.Exists(portFile) && File.ReadAllLines(portFile).Length >= 2, 30, "Chromium's DevTools port");
        int port = int.Parse(File.ReadAllLines(portFile)[0]);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        var targets = JsonNode.Parse(await http.GetStringAsync($"http://127.0.0.1:{port}/json/list"))!.AsArray();
        var page = targets.First(t => (string?)t!["type"] == "page")!;
        await _socket.ConnectAsync(new Uri((string)page["webSocketDebuggerUrl"]!), CancellationToken.None).Within(10);
        _receiving = Task.Run(ReceiveLoop);
        await SendAsync("Runtime.enable");
        await SendAsync("Log.enable");
        await SendAsync("Page.enable");
        await SendAsync("Network.enable");
        await SendAsync("Emulation.setDeviceMetricsOverride", new JsonObject { ["width"] = width, ["height"] = height, ["deviceScaleFactor"] = 1, ["mobile"] = false });
    }

    public async Task<JsonObject> SendAsync(string method, JsonObject? parameters = null)
    {
        int id = Interlocked.Increment(ref _nextId);
        var done = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = done;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? new JsonObject() };
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);
        var reply = await done.Task.Within(30);
        if (reply["error"] is { } error) throw new InvalidOperationException($"{method}: {error.ToJsonString()}");
        return reply["result"]?.AsObject() ?? new JsonObject();
    }

    /// <summary>Every request the page makes carries these headers (the read token, for a swarm with a secret).</summary>
    public Task SetHeadersAsync(IDictionary<string, string> headers)
    {
        var map = new JsonObject();
        foreach (var (k, v) in headers) map[k] = v;
        return SendAsync("Network.setExtraHTTPHeaders", new JsonObject { ["headers"] = map });
    }

    public Task NavigateAsync(string url) => SendAsync("Page.navigate", new JsonObject { ["url"] = url });

    /// <summary>The value of a script expression (awaited when it is a promise).</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true, ["awaitPromise"] = true });
        if (result["exceptionDetails"] is { } ex) throw new InvalidOperationException($"script failed: {ex.ToJsonString()}");
        return result["result"]?["value"]?.DeepClone();
    }

    /// <summary>Waits until a script expression is true.</summary>
    public async Task WaitForAsync(string expression, int seconds, string what)
    {
        var end = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            if (await EvaluateAsync($"!!({expression})") is JsonValue v && v.GetValue<bool>()) return;
            if (DateTime.UtcNow > end) throw new TimeoutException($"{what} not seen on the page within {seconds} s");
            await Task.Delay(100);
        }
    }

    public async Task ScreenshotAsync(string path)
    {
        var shot = await SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png", ["captureBeyondViewport"] = false });
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, Convert.FromBase64String((string)shot["data"]!));
    }

    private async Task ReceiveLoop()
    {
        var buffer = new byte[1 << 16];
        var message = new MemoryStream();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var got = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (got.MessageType == WebSocketMessageType.Close) return;
                message.Write(buffer, 0, got.Count);
                if (!got.EndOfMessage) continue;
                var node = JsonNode.Parse(message.ToArray())!.AsObject();
                message.SetLength(0);
                if (node["id"] is { } id && _pending.TryRemove(id.GetValue<int>(), out var waiter)) waiter.TrySetResult(node);
                else Observe(node);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            foreach (var waiter in _pending.Values) waiter.TrySetException(new IOException("the browser went away"));
        }
    }

    private void Observe(JsonObject e)
    {
        var p = e["params"];
        string? type = p?["type"]?.GetValue<string>(), level = p?["entry"]?["level"]?.GetValue<string>();
        switch (e["method"]?.GetValue<string>())
        {
            case "Runtime.exceptionThrown":
                Errors.Enqueue("exception: " + p?["exceptionDetails"]?.ToJsonString());
                break;
            case "Runtime.consoleAPICalled" when type is "error" or "assert":
                Errors.Enqueue("console: " + p?["args"]?.ToJsonString());
                break;
            case "Log.entryAdded" when level == "error":
                Errors.Enqueue("log: " + p?["entry"]?["text"] + " " + p?["entry"]?["url"]);
                break;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        try { _socket.Abort(); } catch (Exception) { }
        if (_receiving is not null) await _receiving;
        _socket.Dispose();
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().Within(20);
        }
        catch (InvalidOperationException)
        {
        }
        _process.Dispose();
        _profile.Dispose();
    }
}
