# Shared by the Pester tests: the staged module, sample folders, folder comparison, a child pwsh.
$script:Root = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$script:StagedModule = Join-Path $script:Root 'artifacts/module/LanScatter/LanScatter.psd1'

# A run's folders lie under one root, so the run can remove them all (build.ps1 names the root and
# removes it afterwards; a run started some other way leaves them under the temp folder's lanscatter-pester).
function New-TestFolder {
    $root = if ($env:LANSCATTER_PESTER_ROOT) { $env:LANSCATTER_PESTER_ROOT } else { Join-Path ([IO.Path]::GetTempPath()) 'lanscatter-pester' }
    $path = Join-Path $root ([guid]::NewGuid().ToString('N').Substring(0, 12))
    New-Item -ItemType Directory -Path $path -Force | Out-Null
    return $path
}

# Files of random bytes (seeded), plus a nested folder and an empty one.
function New-SampleData([string] $Path, [int] $Files = 4, [int] $KiB = 512, [int] $Seed = 1) {
    $random = [Random]::new($Seed)
    New-Item -ItemType Directory -Path (Join-Path $Path 'sub/empty') -Force | Out-Null
    for ($i = 0; $i -lt $Files; $i++) {
        $bytes = [byte[]]::new($KiB * 1024 + $i)
        $random.NextBytes($bytes)
        $name = if ($i % 2) { "sub/file$i.bin" } else { "file$i.bin" }
        [IO.File]::WriteAllBytes((Join-Path $Path $name), $bytes)
    }
}

# Relative path and SHA-256 of every file, LanScatter's own state folder left out.
function Get-FolderDigest([string] $Path) {
    $full = (Resolve-Path -LiteralPath $Path).Path
    Get-ChildItem -LiteralPath $full -Recurse -File -Force |
        Where-Object { $_.FullName.Substring($full.Length + 1) -notlike '.lanscatter*' } |
        ForEach-Object { '{0} {1}' -f $_.FullName.Substring($full.Length + 1).Replace('\', '/'), (Get-FileHash -LiteralPath $_.FullName -Algorithm SHA256).Hash } |
        Sort-Object
}

function Test-PortFree([int] $Port) {
    $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, $Port)
    try { $listener.Start(); return $true } catch { return $false } finally { $listener.Stop() }
}

# A loopback port nothing listens on: one a master of this module just had and gave back.
function Get-ClosedPort {
    $probe = Start-LsMaster -Path (New-TestFolder) -Port 0 -Bind 127.0.0.1 -JobName probe
    $port = $probe.Port
    Stop-Job -Id $probe.Id; Remove-Job -Id $probe.Id
    return $port
}

# Waits for a condition (a script block) or fails the test with what it was waiting for.
function Wait-Until([scriptblock] $Condition, [int] $Seconds, [string] $What) {
    $deadline = [DateTime]::UtcNow.AddSeconds($Seconds)
    while (-not (& $Condition)) {
        if ([DateTime]::UtcNow -gt $deadline) { throw "timed out after $Seconds s waiting for: $What" }
        Start-Sleep -Milliseconds 100
    }
}

# Runs a command in a fresh pwsh (as a scheduled task would) and returns its exit code and output.
function Invoke-ChildPwsh([string] $Command) {
    # This pwsh may run as a .NET tool (dotnet pwsh): start the same one from its own folder.
    $pwsh = @('pwsh.exe', 'pwsh') | ForEach-Object { Join-Path $PSHOME $_ } | Where-Object { Test-Path -LiteralPath $_ -PathType Leaf } | Select-Object -First 1
    $output = & $pwsh -NoProfile -NonInteractive -Command $Command 2>&1 | Out-String
    return [pscustomobject]@{ ExitCode = $LASTEXITCODE; Output = $output }
}

# Stops and removes this test's jobs by id (never by name: other jobs may share it).
function Remove-TestJobs([object[]] $Jobs) {
    foreach ($job in $Jobs | Where-Object { $_ }) {
        Stop-Job -Id $job.Id -ErrorAction SilentlyContinue
        Remove-Job -Id $job.Id -Force -ErrorAction SilentlyContinue
    }
}

# Runs a command in a fresh pwsh whose home folder is $HomeFolder: its own PSResourceGet repository
# list and its own user module path, as on a machine where LanScatter was never installed.
function Invoke-IsolatedPwsh([string] $HomeFolder, [string] $Command) {
    $pwsh = @('pwsh.exe', 'pwsh') | ForEach-Object { Join-Path $PSHOME $_ } | Where-Object { Test-Path -LiteralPath $_ -PathType Leaf } | Select-Object -First 1
    $psi = [Diagnostics.ProcessStartInfo]::new($pwsh)
    foreach ($a in '-NoProfile', '-NonInteractive', '-Command', $Command) { $psi.ArgumentList.Add($a) }
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $psi.UseShellExecute = $false
    $psi.Environment['HOME'] = $HomeFolder
    $psi.Environment['USERPROFILE'] = $HomeFolder
    $psi.Environment['LOCALAPPDATA'] = Join-Path $HomeFolder 'AppData/Local'
    $psi.Environment['APPDATA'] = Join-Path $HomeFolder 'AppData/Roaming'
    # Publish-PSResource writes a NuGet/NuGet.Config under the working folder (seen on Linux): keep it in the machine too.
    $psi.WorkingDirectory = $HomeFolder
    foreach ($inherited in 'PSModulePath', 'XDG_DATA_HOME', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME') { $psi.Environment.Remove($inherited) | Out-Null }
    $process = [Diagnostics.Process]::Start($psi)
    $stderr = $process.StandardError.ReadToEndAsync()
    $stdout = $process.StandardOutput.ReadToEnd()
    $process.WaitForExit()
    return [pscustomobject]@{ ExitCode = $process.ExitCode; Output = $stdout; Error = $stderr.Result }
}
