using System.Diagnostics;

namespace LanScatter.Tests.Support;

/// <summary>A small RAM file system (Linux tmpfs) to fill up: a full disk on demand. Unmounted on dispose.</summary>
internal sealed class Tmpfs : IDisposable
{
    private Tmpfs(string path) => Path = path;

    public string Path { get; }

    /// <summary>Why no tmpfs can be mounted here (not Linux, not root), or null when it can.</summary>
    public static readonly Lazy<string?> Unavailable = new(() =>
    {
        if (!OperatingSystem.IsLinux()) return "a tmpfs needs Linux";
        try
        {
            using var probe = Mount(1 << 20);
            return null;
        }
        catch (InvalidOperationException ex)
        {
            return ex.Message;
        }
    });

    /// <param name="bytes">Its size.</param>
    /// <param name="files">How many files and folders it can hold at most (0: the default).</param>
    public static Tmpfs Mount(long bytes, int files = 0)
    {
        var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "lanscatter-tmpfs-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        Run("mount", "-t", "tmpfs", "-o", files > 0 ? $"size={bytes},nr_inodes={files}" : $"size={bytes}", "tmpfs", path);
        return new Tmpfs(path);
    }

    /// <summary>Changes the size, keeping the contents (the disk gets space again).</summary>
    public void Resize(long bytes) => Run("mount", "-o", $"remount,size={bytes}", Path);

    public void Dispose()
    {
        try
        {
            Run("umount", "-l", Path);
            Directory.Delete(Path);
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException)
        {
        }
    }

    private static void Run(string program, params string[] args)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        try
        {
            using var p = Process.Start(psi)!;
            var err = p.StandardError.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0) throw new InvalidOperationException($"{program} {string.Join(' ', args)}: {err.Trim()}");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new InvalidOperationException($"cannot run {program}: {ex.Message}", ex);
        }
    }
}

/// <summary>A test that needs <see cref="Tmpfs"/>: reported as skipped, with the reason, where none can be mounted.</summary>
internal sealed class TmpfsFactAttribute : FactAttribute
{
    public TmpfsFactAttribute()
    {
        if (Tmpfs.Unavailable.Value is { } reason) Skip = "cannot mount a tmpfs here: " + reason;
    }
}
