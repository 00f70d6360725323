# A private OpenSSH server for the remoting tests: its own config, host key and client key pair in
# a temp folder, the powershell subsystem pointing at this pwsh, listening on a spare loopback
# port at several loopback addresses (each one a "host" of the fan-out). Stopped by process id.

function Get-SshdPath {
    foreach ($candidate in '/usr/sbin/sshd', '/usr/local/sbin/sshd') {
        if (Test-Path -LiteralPath $candidate -PathType Leaf) { return $candidate }
    }
    $command = Get-Command sshd -CommandType Application -ErrorAction Ignore | Select-Object -First 1
    if ($command) { return $command.Source }
    return $null
}

# Why the remoting tests cannot run here, or $null when they can.
function Get-SshSkipReason {
    if ($IsWindows) { return 'the SSH fan-out test sets up OpenSSH the Linux way' }
    if (-not (Get-SshdPath)) { return 'OpenSSH server (sshd) is not installed; .ci/run installs openssh-server' }
    if (-not (Get-Command ssh-keygen -ErrorAction Ignore)) { return 'ssh-keygen is not installed' }
    if ((id -u) -ne '0') { return 'sshd needs root here to switch to the logged-in user' }
    return $null
}

function Start-TestSshd([string[]] $Addresses) {
    $dir = New-TestFolder
    & ssh-keygen -q -t ed25519 -N '' -f (Join-Path $dir 'host_key') | Out-Null
    & ssh-keygen -q -t ed25519 -N '' -f (Join-Path $dir 'client_key') | Out-Null
    Copy-Item -LiteralPath (Join-Path $dir 'client_key.pub') -Destination (Join-Path $dir 'authorized_keys')
    # sshd's privilege separation folder (made by the service scripts, which never ran here).
    New-Item -ItemType Directory -Path '/run/sshd' -Force | Out-Null

    # This very pwsh serves the sessions, with the staged module on its module path, as if installed.
    $pwsh = @('pwsh') | ForEach-Object { Join-Path $PSHOME $_ } | Where-Object { Test-Path -LiteralPath $_ -PathType Leaf } | Select-Object -First 1
    $dotnetRoot = Split-Path -Parent ([Diagnostics.Process]::GetCurrentProcess().MainModule.FileName)
    $modules = Split-Path -Parent (Split-Path -Parent $StagedModule)

    for ($attempt = 1; $attempt -le 3; $attempt++) {
        $port = Get-FreeTcpPort
        $config = Join-Path $dir 'sshd_config'
        $lines = @(
            "Port $port"
            $Addresses | ForEach-Object { "ListenAddress $_" }
            "HostKey $(Join-Path $dir 'host_key')"
            "PidFile $(Join-Path $dir 'sshd.pid')"
            "AuthorizedKeysFile $(Join-Path $dir 'authorized_keys')"
            'PubkeyAuthentication yes'
            'PasswordAuthentication no'
            'KbdInteractiveAuthentication no'
            'PermitRootLogin prohibit-password'
            'StrictModes no'
            'UsePAM no'
            "SetEnv PSModulePath=$modules DOTNET_ROOT=$dotnetRoot"
            "Subsystem powershell $pwsh -sshs -NoLogo -NoProfile"
        )
        Set-Content -LiteralPath $config -Value $lines
        $log = Join-Path $dir 'sshd.log'
        $process = Start-Process -FilePath (Get-SshdPath) -ArgumentList '-D', '-e', '-f', $config -RedirectStandardError $log -PassThru
        $deadline = [DateTime]::UtcNow.AddSeconds(10)
        while (-not $process.HasExited -and [DateTime]::UtcNow -lt $deadline -and -not (Test-TcpOpen $Addresses[0] $port)) { Start-Sleep -Milliseconds 100 }
        if (-not $process.HasExited -and (Test-TcpOpen $Addresses[0] $port)) {
            $hostKey = (Get-Content -Raw -LiteralPath (Join-Path $dir 'host_key.pub')).Trim()
            $knownHosts = Join-Path $dir 'known_hosts'
            Set-Content -LiteralPath $knownHosts -Value ($Addresses | ForEach-Object { "[$_]:$port $hostKey" })
            return [pscustomobject]@{
                Process = $process
                Port    = $port
                Folder  = $dir
                Log     = $log
                # What Invoke-Command needs to reach it: the host key is checked, never accepted blindly.
                Connect = @{
                    Port        = $port
                    UserName    = (id -un)
                    KeyFilePath = (Join-Path $dir 'client_key')
                    Options     = @{ UserKnownHostsFile = $knownHosts; StrictHostKeyChecking = 'yes' }
                }
            }
        }
        if (-not $process.HasExited) { Stop-Process -Id $process.Id -Force }
    }
    throw "sshd did not start; its log:`n$(Get-Content -Raw -LiteralPath $log)"
}

function Stop-TestSshd($Server) {
    if ($Server -and -not $Server.Process.HasExited) {
        Stop-Process -Id $Server.Process.Id -Force
        $Server.Process.WaitForExit(10000) | Out-Null
    }
}

function Get-FreeTcpPort {
    $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
    try { $listener.Start(); return $listener.LocalEndpoint.Port } finally { $listener.Stop() }
}

function Test-TcpOpen([string] $Address, [int] $Port) {
    $client = [Net.Sockets.TcpClient]::new()
    try { $client.Connect($Address, $Port); return $true } catch { return $false } finally { $client.Dispose() }
}
