using LanScatter.Core.Manifest;

namespace LanScatter.Core.Storage;

/// <summary>
/// A manifest file as a peer builds it in its partial file: which chunk places hold verified bytes,
/// which are being written, and how many copies read from it. Guarded by <see cref="PeerFolder"/>'s lock.
/// </summary>
internal sealed class FileBuild
{
    private readonly string _partialFolder;
    private string? _partialPath;

    public FileBuild(ManifestFile file, string partialFolder)
    {
        File = file;
        _partialFolder = partialFolder;
        Verified = new bool[file.Chunks.Count];
        Busy = new bool[file.Chunks.Count];
    }

    public ManifestFile File { get; }

    /// <summary>
    /// Where the file is built, named by a hash of its path: made when first asked, since most
    /// files of a manifest re-applied are complete and never need it (a second per million files).
    /// </summary>
    public string PartialPath => _partialPath ??= Path.Combine(_partialFolder, ChunkId.Of(System.Text.Encoding.UTF8.GetBytes(File.Path)).Substring(0, 32) + ".part");
    public bool[] Verified { get; }

    /// <summary>Places a fetch or a local copy is writing now: nobody else is given them meanwhile.</summary>
    public bool[] Busy { get; }

    /// <summary>
    /// Copies reading from this file: it keeps its partial name until they end, since a copy opens
    /// the file by that name and a rename in between would make the copy fail.
    /// </summary>
    public int Readers { get; set; }

    public bool Complete { get; set; }

    /// <summary>Whole and queued to be flushed to disk and renamed (<see cref="PeerFolder"/>).</summary>
    public bool Finishing { get; set; }

    /// <summary>Every place verified and nobody reading: ready to take its final name.</summary>
    public bool ReadyToComplete => !Complete && !Finishing && Readers == 0 && Array.TrueForAll(Verified, v => v);
}
