using LanScatter.Core.Storage;
using LanScatter.Tests.Support;

namespace LanScatter.Tests.Storage;

public class PosixRenameTests
{
    [UnixFact]
    public void A_file_replaces_the_file_at_its_final_name_and_leaves_its_partial_name()
    {
        using var folder = new TempFolder();
        var from = folder.Write("part", new byte[] { 1, 2, 3 });
        var to = folder.Write("final", new byte[] { 9 });

        Assert.True(PosixRename.IsUsable);
        Assert.True(PosixRename.TryReplace(from, to));

        Assert.False(File.Exists(from));
        Assert.Equal(new byte[] { 1, 2, 3 }, File.ReadAllBytes(to));
    }

    [UnixFact]
    public void A_folder_in_the_way_or_a_missing_parent_is_refused_and_nothing_moves()
    {
        using var folder = new TempFolder();
        var from = folder.Write("part", new byte[] { 1 });
        var busy = folder.Combine("busy");
        Directory.CreateDirectory(Path.Combine(busy, "inside"));

        Assert.False(PosixRename.TryReplace(from, busy));
        Assert.False(PosixRename.TryReplace(from, folder.Combine("missing/final")));

        Assert.True(File.Exists(from));
        Assert.True(Directory.Exists(Path.Combine(busy, "inside")));
    }
}
