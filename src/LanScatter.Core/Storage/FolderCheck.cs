namespace LanScatter.Core.Storage;

/// <summary>
/// How applying a manifest looked at the disk: the whole folder, or only the paths a change touched
/// (<see cref="Paths"/>: the files and folders looked at, or the manifest's files for a whole check).
/// </summary>
internal readonly record struct FolderCheck(bool Whole, int Paths);
