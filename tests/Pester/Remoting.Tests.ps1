# Fan-out as sysadmins run it: Invoke-Command to several hosts at once over PowerShell's SSH
# transport, the same script block on each — Start-LsPeer -Once -Wait into that host's folder —
# against one master. The hosts are loopback addresses served by a private sshd (SshServer.ps1);
# each session is a fresh pwsh that finds the module on its module path, as an installed one.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Helpers.ps1')
    . (Join-Path $PSScriptRoot 'SshServer.ps1')
    $skipReason = Get-SshSkipReason
    if ($skipReason) { return }
    Import-Module $StagedModule -Force
    $ssh = Start-TestSshd -Addresses 127.0.0.1, 127.0.0.2, 127.0.0.3, 127.0.0.4
    $connect = $ssh.Connect
    $m = New-TestFolder
    New-SampleData -Path $m -Files 5 -KiB 900
    $expected = Get-FolderDigest $m
    # A swarm with a secret, handed to each session as a SecureString, as README's fan-out does.
    $secret = ConvertTo-SecureString 'the fan-out swarm secret' -AsPlainText -Force
    $master = Start-LsMaster -Path $m -Port 0 -Bind 127.0.0.1 -ChunkSize 256KB -Name master -Secret $secret
    Wait-Until { (Get-LsSwarm -Job $master)[0].State -eq 'Serving' } 30 'the master serving'
    $masterAddress = "127.0.0.1:$($master.Port)"

    # The one line every host runs. A host here is a loopback address; its "D:\data" is a folder
    # named after the address its session came in on.
    $fanOut = {
        $address = ($env:SSH_CONNECTION -split ' ')[2]
        Start-LsPeer -Path (Join-Path $using:base $address) -Master $using:masterAddress -Secret $using:secret -Once -Wait -Name $address -Port 0 -Bind 127.0.0.1 -Advertise 127.0.0.1
    }
}

AfterAll {
    if ($skipReason) { return }
    Remove-TestJobs @($master)
    Stop-TestSshd $ssh
}

Describe 'Invoke-Command fan-out over SSH remoting' {
    BeforeEach {
        if ($skipReason) { Set-ItResult -Skipped -Because $skipReason }
    }

    It 'runs Start-LsPeer -Once -Wait on three hosts at once: one result per host, each folder identical to the master''s' {
        if ($skipReason) { return }
        $base = New-TestFolder
        $results = Invoke-Command -HostName 127.0.0.1, 127.0.0.2, 127.0.0.3 @connect -ScriptBlock $fanOut
        @($results).Count | Should -Be 3
        $results.PSComputerName | Sort-Object | Should -Be @('127.0.0.1', '127.0.0.2', '127.0.0.3')
        foreach ($r in $results) {
            $r.InSync | Should -BeTrue
            $r.State | Should -Be 'InSync'
            Get-FolderDigest (Join-Path $base $r.PSComputerName) | Should -Be $expected
        }
    }

    It 'returns an error for the failing host only, with its name, while the others succeed' {
        if ($skipReason) { return }
        $base = New-TestFolder
        [IO.File]::WriteAllText((Join-Path $base '127.0.0.4'), 'a file where that host''s folder should be')
        $results = Invoke-Command -HostName 127.0.0.1, 127.0.0.4, 127.0.0.2 @connect -ScriptBlock $fanOut -ErrorVariable remoteErrors -ErrorAction SilentlyContinue
        @($results).Count | Should -Be 2
        $results.PSComputerName | Sort-Object | Should -Be @('127.0.0.1', '127.0.0.2')
        @($remoteErrors).Count | Should -Be 1
        $remoteErrors[0].OriginInfo.PSComputerName | Should -Be '127.0.0.4'
        $remoteErrors[0].FullyQualifiedErrorId | Should -BeLike 'NotAFolder*'
        foreach ($address in '127.0.0.1', '127.0.0.2') { Get-FolderDigest (Join-Path $base $address) | Should -Be $expected }
    }

    It 'works as a job with -AsJob: Wait-Job, then Receive-Job gives the results' {
        if ($skipReason) { return }
        $base = New-TestFolder
        $job = Invoke-Command -HostName 127.0.0.2, 127.0.0.3 @connect -ScriptBlock $fanOut -AsJob
        try {
            $job | Wait-Job -Timeout 180 | Out-Null
            $job.State | Should -Be 'Completed'
            $results = Receive-Job -Job $job
            $results.PSComputerName | Sort-Object | Should -Be @('127.0.0.2', '127.0.0.3')
            $results.InSync | Should -Be @($true, $true)
            foreach ($address in '127.0.0.2', '127.0.0.3') { Get-FolderDigest (Join-Path $base $address) | Should -Be $expected }
        }
        finally {
            Remove-Job -Id $job.Id -Force
        }
    }
}
