# End to end in a real pwsh, real nodes on loopback: the three ways sysadmins run LanScatter —
# a line in a script (jobs), the synchronous form fan-out uses (-Once -Wait), a scheduled task
# (Get-LsSwarm into a CSV, the exit code of pwsh -Command) — and every failure as an error record.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Helpers.ps1')
    Import-Module $StagedModule -Force
    $jobs = [Collections.Generic.List[object]]::new()
    $peerArgs = @{ Port = 0; Bind = '127.0.0.1'; Advertise = '127.0.0.1' }

    function Start-TestMaster([string] $Path, [hashtable] $Extra = @{}) {
        $job = Start-LsMaster -Path $Path -Port 0 -Bind 127.0.0.1 -ChunkSize 64KB -Name master @Extra
        $jobs.Add($job)
        Wait-Until { (Get-LsSwarm -Job $job)[0].State -eq 'Serving' } 30 'the master serving'
        return $job
    }
}

AfterAll {
    Remove-TestJobs $jobs
}

Describe 'Start-LsMaster and Start-LsPeer as jobs' {
    It 'syncs three once-peers to identical folders, each job Completed' {
        $m = New-TestFolder
        New-SampleData -Path $m -Files 6 -KiB 700
        $master = Start-TestMaster $m
        $master.PSJobTypeName | Should -Be 'LanScatter'
        $folders = 1..3 | ForEach-Object { Join-Path (New-TestFolder) "peer$_" }
        $peers = foreach ($i in 0..2) { Start-LsPeer -Path $folders[$i] -Master "127.0.0.1:$($master.Port)" -Once -Name "p$i" @peerArgs }
        $peers | ForEach-Object { $jobs.Add($_) }

        Get-Job -Id $peers.Id | Should -HaveCount 3
        Wait-Job -Id $peers.Id -Timeout 90 | Out-Null
        foreach ($peer in $peers) {
            $peer.State | Should -Be 'Completed'
            $output = Receive-Job -Id $peer.Id
            ($output | Where-Object { $_ -is [LanScatter.PowerShell.Jobs.NodeMilestone] }).State | Should -Contain 'InSync'
            $result = $output | Where-Object { $_ -is [LanScatter.PowerShell.Jobs.NodeResult] }
            $result.InSync | Should -BeTrue
        }
        $expected = Get-FolderDigest $m
        foreach ($folder in $folders) { Get-FolderDigest $folder | Should -Be $expected }
        $master.State | Should -Be 'Running'
    }

    It 'stops a running master with Stop-Job: state Stopped and the port free again' {
        $m = New-TestFolder
        New-SampleData -Path $m -Files 1 -KiB 64
        $master = Start-TestMaster $m
        Test-PortFree $master.Port | Should -BeFalse
        Stop-Job -Id $master.Id
        (Get-Job -Id $master.Id).State | Should -Be 'Stopped'
        Test-PortFree $master.Port | Should -BeTrue
        Remove-Job -Id $master.Id
        Get-Job -Id $master.Id -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'stops a syncing peer with Stop-Job and keeps its partial files; a new run resumes and finishes' {
        $m = New-TestFolder
        New-SampleData -Path $m -Files 2 -KiB 4096
        $master = Start-TestMaster $m
        $p = Join-Path (New-TestFolder) 'peer'
        $peer = Start-LsPeer -Path $p -Master "127.0.0.1:$($master.Port)" -DownloadMbps 16 -Name slow @peerArgs
        $jobs.Add($peer)
        Wait-Until { (Get-LsSwarm -Job $peer).BytesDone -gt 0 } 30 'the peer receiving'
        Stop-Job -Id $peer.Id
        $peer.State | Should -Be 'Stopped'
        Test-Path (Join-Path $p '.lanscatter') | Should -BeTrue
        $done = (Get-LsSwarm -Job $peer).BytesDone
        $done | Should -BeGreaterThan 0

        $result = Start-LsPeer -Path $p -Master "127.0.0.1:$($master.Port)" -Once -Wait -Name resumed @peerArgs
        $result.InSync | Should -BeTrue
        $result.BytesFromPeers + $result.BytesFromMaster | Should -BeLessThan ((Get-LsSwarm -Job $master)[0].BytesTotal)
        Get-FolderDigest $p | Should -Be (Get-FolderDigest $m)
    }
}

Describe 'Start-LsPeer -Once -Wait (the form Invoke-Command fan-out and scheduled tasks use)' {
    It 'returns exactly one result object with InSync and byte counts' {
        $m = New-TestFolder
        New-SampleData -Path $m -Files 3 -KiB 256
        $master = Start-TestMaster $m
        $p = Join-Path (New-TestFolder) 'peer'
        $out = @(Start-LsPeer -Path $p -Master "127.0.0.1:$($master.Port)" -Once -Wait -Name waiter @peerArgs)
        $out | Should -HaveCount 1
        $out[0] | Should -BeOfType LanScatter.PowerShell.Jobs.NodeResult
        $out[0].InSync | Should -BeTrue
        $out[0].State | Should -Be 'InSync'
        $out[0].Master | Should -Be "127.0.0.1:$($master.Port)"
        $out[0].BytesTotal | Should -Be ((Get-ChildItem $m -Recurse -File | Measure-Object Length -Sum).Sum)
        Get-FolderDigest $p | Should -Be (Get-FolderDigest $m)
    }

    It 'sets the pwsh exit code: 0 when in sync, 1 when the master cannot be reached' {
        $m = New-TestFolder
        New-SampleData -Path $m -Files 2 -KiB 128
        $master = Start-TestMaster $m
        $p = Join-Path (New-TestFolder) 'peer'
        $ok = Invoke-ChildPwsh "Import-Module '$StagedModule'; Start-LsPeer -Path '$p' -Master 127.0.0.1:$($master.Port) -Port 0 -Bind 127.0.0.1 -Advertise 127.0.0.1 -Once -Wait | Out-Null"
        $ok.ExitCode | Should -Be 0 -Because $ok.Output
        Get-FolderDigest $p | Should -Be (Get-FolderDigest $m)

        $port = Get-ClosedPort
        $q = Join-Path (New-TestFolder) 'peer'
        $bad = Invoke-ChildPwsh "Import-Module '$StagedModule'; Start-LsPeer -Path '$q' -Master 127.0.0.1:$port -Port 0 -Bind 127.0.0.1 -Once -Wait -ConnectTimeoutSec 2 | Out-Null"
        $bad.ExitCode | Should -Be 1
        $bad.Output | Should -Match 'cannot reach|unreachable|refused'
    }
}

Describe 'Get-LsSwarm' {
    It 'pipes a live swarm into Export-Csv with flat, useful columns, master included' {
        $m = New-TestFolder
        New-SampleData -Path $m -Files 2 -KiB 256
        $master = Start-TestMaster $m
        $p = Join-Path (New-TestFolder) 'peer'
        $peer = Start-LsPeer -Path $p -Master "127.0.0.1:$($master.Port)" -Name csvpeer @peerArgs
        $jobs.Add($peer)
        Wait-Until { @(Get-LsSwarm -Master "127.0.0.1:$($master.Port)" | Where-Object { $_.Name -eq 'csvpeer' -and $_.Percent -eq 100 }).Count -eq 1 } 60 'the peer at 100 % in the master''s view'

        $csv = Join-Path (New-TestFolder) 'swarm.csv'
        "127.0.0.1:$($master.Port)" | Get-LsSwarm | Export-Csv -LiteralPath $csv -NoTypeInformation
        $rows = Import-Csv -LiteralPath $csv
        $rows | Should -HaveCount 2
        $columns = $rows[0].PSObject.Properties.Name
        foreach ($column in 'Master', 'Role', 'Name', 'Address', 'Port', 'State', 'Percent', 'BytesDone', 'BytesTotal', 'ChunksHeld', 'ChunksTotal',
            'DownloadMbps', 'UploadMbps', 'DownloadLimitMbps', 'UploadLimitMbps', 'Slow', 'LastSeen') {
            $columns | Should -Contain $column
        }
        ($rows | Where-Object Role -eq 'master').Name | Should -Be 'master'
        $row = $rows | Where-Object Role -eq 'peer'
        $row.Name | Should -Be 'csvpeer'
        $row.State | Should -Be 'InSync'
        [int]$row.ChunksHeld | Should -Be ([int]$row.ChunksTotal)
        (Get-LsSwarm -Job $master | ConvertTo-Json | ConvertFrom-Json).Count | Should -Be 2
    }

    It 'writes a non-terminating error for an unreachable master and goes on with the others' {
        $m = New-TestFolder
        New-SampleData -Path $m -Files 1 -KiB 64
        $master = Start-TestMaster $m
        $nodes = 'nowhere.invalid', "127.0.0.1:$($master.Port)" | Get-LsSwarm -TimeoutSec 5 -ErrorVariable err -ErrorAction SilentlyContinue
        $nodes | Should -HaveCount 1
        $nodes[0].Role | Should -Be 'master'
        $err | Should -HaveCount 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'MasterUnreachable,*'
        $err[0].TargetObject | Should -Be 'nowhere.invalid'
    }
}

Describe 'Set-LsBandwidthLimit' {
    It 'slows a running transfer measurably, changes the whole swarm through the master, and changes nothing with -WhatIf' {
        $m = New-TestFolder
        New-SampleData -Path $m -Files 2 -KiB 32768
        $master = Start-TestMaster $m
        $p = Join-Path (New-TestFolder) 'peer'
        $peer = Start-LsPeer -Path $p -Master "127.0.0.1:$($master.Port)" -DownloadMbps 80 -Name limited @peerArgs
        $jobs.Add($peer)
        Start-Sleep -Seconds 4 # the rate meter covers the last 3 s
        $before = (Get-LsSwarm -Job $peer).DownloadMbps
        $before | Should -BeGreaterThan 40

        Get-Job -Id $peer.Id | Set-LsBandwidthLimit -DownloadMbps 16
        Start-Sleep -Seconds 4
        $after = Get-LsSwarm -Job $peer
        $after.DownloadLimitMbps | Should -Be 16
        $after.DownloadMbps | Should -BeLessThan ($before / 2)
        $after.DownloadMbps | Should -BeLessThan 24

        Set-LsBandwidthLimit -Job $peer -DownloadMbps 0 -WhatIf
        (Get-LsSwarm -Job $peer).DownloadLimitMbps | Should -Be 16

        Set-LsBandwidthLimit -Master "127.0.0.1:$($master.Port)" -DownloadMbps 8 -UploadMbps 200
        Wait-Until { (Get-LsSwarm -Job $peer).DownloadLimitMbps -eq 8 } 10 'the master pushing the limit to the peer'
        Wait-Until { @(Get-LsSwarm -Master "127.0.0.1:$($master.Port)" | Where-Object { $_.Name -eq 'limited' -and $_.DownloadLimitMbps -eq 8 }).Count -eq 1 } 10 'the master''s view of the new limit'
        (Get-LsSwarm -Job $master)[0].UploadLimitMbps | Should -Be 200
        Stop-Job -Id $peer.Id
    }

    It 'requires a limit' {
        { Set-LsBandwidthLimit -Master 127.0.0.1 -ErrorAction Stop } | Should -Throw -ErrorId 'NoLimitGiven,*'
    }
}

Describe 'Failures are error records with a stable ErrorId, before any job exists' {
    It 'a missing master folder: FolderNotFound, ObjectNotFound, the path as target' {
        $before = @(Get-Job).Count
        $missing = Join-Path (New-TestFolder) 'missing'
        $job = Start-LsMaster -Path $missing -Port 0 -ErrorVariable err -ErrorAction SilentlyContinue
        $job | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'FolderNotFound,*'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err[0].TargetObject | Should -Be $missing
        @(Get-Job).Count | Should -Be $before
    }

    It 'a port in use: PortInUse, ResourceUnavailable' {
        $m = New-TestFolder
        New-SampleData -Path $m -Files 1 -KiB 16
        $master = Start-TestMaster $m
        $second = Start-LsMaster -Path $m -Port $master.Port -Bind 127.0.0.1 -ErrorVariable err -ErrorAction SilentlyContinue
        $second | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'PortInUse,*'
        $err[0].CategoryInfo.Category | Should -Be 'ResourceUnavailable'
        $peer = Start-LsPeer -Path (Join-Path (New-TestFolder) 'p') -Master 127.0.0.1 -Port $master.Port -Bind 127.0.0.1 -ErrorVariable perr -ErrorAction SilentlyContinue
        $peer | Should -BeNullOrEmpty
        $perr[0].FullyQualifiedErrorId | Should -BeLike 'PortInUse,*'
    }

    It 'a non-empty folder never synced: FolderNotEmpty unless -Force' {
        $p = New-TestFolder
        [IO.File]::WriteAllText((Join-Path $p 'mine.txt'), 'keep')
        Start-LsPeer -Path $p -Master 127.0.0.1:1 -Port 0 -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'FolderNotEmpty,*'
        Test-Path (Join-Path $p 'mine.txt') | Should -BeTrue
    }

    It 'a malformed master address: InvalidAddress, InvalidArgument' {
        Start-LsPeer -Path (Join-Path (New-TestFolder) 'p') -Master '127.0.0.1:99999' -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'InvalidAddress,*'
        $err[0].CategoryInfo.Category | Should -Be 'InvalidArgument'
    }

    It 'an unreachable master ends the job Failed with the reason, after the retry window' {
        $port = Get-ClosedPort
        $peer = Start-LsPeer -Path (Join-Path (New-TestFolder) 'p') -Master "127.0.0.1:$port" -Once -ConnectTimeoutSec 2 @peerArgs
        $jobs.Add($peer)
        Wait-Job -Id $peer.Id -Timeout 30 | Out-Null
        $peer.State | Should -Be 'Failed'
        $peer.JobStateInfo.Reason.Message | Should -Match "127.0.0.1:$port"
        $peer.JobStateInfo.Reason.ErrorId | Should -Be 'MasterUnreachable'
        $peer.Error[0].FullyQualifiedErrorId | Should -BeLike 'MasterUnreachable*'
        Receive-Job -Id $peer.Id -ErrorVariable jerr -ErrorAction SilentlyContinue | Out-Null
        $jerr.Count | Should -BeGreaterThan 0
    }

    It 'with -Wait, a failure is a terminating error' {
        $port = Get-ClosedPort
        { Start-LsPeer -Path (Join-Path (New-TestFolder) 'p') -Master "127.0.0.1:$port" -Once -Wait -ConnectTimeoutSec 2 @peerArgs } |
            Should -Throw -ErrorId 'MasterUnreachable,*'
    }

    It '-WhatIf lists what would be created and deleted, and changes nothing' {
        $m = New-TestFolder
        New-SampleData -Path $m -Files 2 -KiB 16
        $master = Start-TestMaster $m
        $p = New-TestFolder
        [IO.File]::WriteAllText((Join-Path $p 'stale.txt'), 'old')
        $run = Invoke-ChildPwsh "Import-Module '$StagedModule'; Start-LsPeer -Path '$p' -Master 127.0.0.1:$($master.Port) -Force -WhatIf"
        $run.ExitCode | Should -Be 0
        $run.Output | Should -Match 'What if: Performing the operation "Create file" on target "file0.bin"'
        $run.Output | Should -Match 'What if: Performing the operation "Delete" on target "stale.txt"'
        Get-ChildItem -LiteralPath $p -Force | Select-Object -ExpandProperty Name | Should -Be @('stale.txt')
    }
}

Describe '-Exclude' {
    It 'keeps a peer''s excluded files (shown as kept by -WhatIf) while the master leaves its own excluded paths out' {
        $m = New-TestFolder
        New-SampleData -Path $m -Files 2 -KiB 64
        [IO.File]::WriteAllText((Join-Path $m 'settings.ini'), 'the master''s settings')
        [IO.File]::WriteAllText((Join-Path $m 'build.tmp'), 'not for peers')
        $master = Start-TestMaster $m @{ Exclude = '*.tmp' }
        $p = New-TestFolder
        [IO.File]::WriteAllText((Join-Path $p 'settings.ini'), 'this machine''s settings')
        New-Item -ItemType Directory -Path (Join-Path $p 'logs') | Out-Null
        [IO.File]::WriteAllText((Join-Path $p 'logs/today.log'), 'local log')

        $run = Invoke-ChildPwsh "Import-Module '$StagedModule'; Start-LsPeer -Path '$p' -Master 127.0.0.1:$($master.Port) -Force -Exclude settings.ini, logs -WhatIf"
        $run.Output | Should -Match 'What if: Performing the operation "Keep \(excluded\)" on target "settings.ini"'
        $run.Output | Should -Match 'What if: Performing the operation "Keep \(excluded\)" on target "logs"'
        $run.Output | Should -Not -Match 'build.tmp'

        $result = Start-LsPeer -Path $p -Master "127.0.0.1:$($master.Port)" -Force -Exclude settings.ini, logs -Once -Wait @peerArgs
        $result.InSync | Should -BeTrue
        Get-Content -Raw -LiteralPath (Join-Path $p 'settings.ini') | Should -Be 'this machine''s settings'
        Get-Content -Raw -LiteralPath (Join-Path $p 'logs/today.log') | Should -Be 'local log'
        Test-Path -LiteralPath (Join-Path $p 'build.tmp') | Should -BeFalse
        (Get-FileHash -LiteralPath (Join-Path $p 'file0.bin')).Hash | Should -Be (Get-FileHash -LiteralPath (Join-Path $m 'file0.bin')).Hash
    }

    It 'a pattern that cannot be used is an InvalidOption error before anything runs' {
        $p = New-TestFolder
        { Start-LsPeer -Path $p -Master 127.0.0.1:1 -Exclude '[oops' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidOption,*'
    }
}

Describe 'A full disk on a peer' {
    It 'a full disk: LocalDiskError, WriteError, within seconds (-Once -Wait)' {
        $disk = New-TestFolder
        & mount -t tmpfs -o size=2m tmpfs $disk 2>$null
        if ($LASTEXITCODE -ne 0) { Set-ItResult -Skipped -Because 'no tmpfs can be mounted here (needs root on Linux)'; return }
        try {
            $m = New-TestFolder
            New-SampleData -Path $m -Files 2 -KiB 3000
            $master = Start-TestMaster $m
            $started = [DateTime]::UtcNow
            $err = { Start-LsPeer -Path (Join-Path $disk 'data') -Master "127.0.0.1:$($master.Port)" -Once -Wait @peerArgs } |
                Should -Throw -ErrorId 'LocalDiskError,*' -PassThru
            $err.CategoryInfo.Category | Should -Be 'WriteError'
            $err.Exception.Message | Should -Match 'cannot write to the local disk'
            ([DateTime]::UtcNow - $started).TotalSeconds | Should -BeLessThan 30
        }
        finally {
            & umount -l $disk
        }
    }
}
