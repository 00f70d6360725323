# The swarm secret as sysadmins give it: a SecureString (-Secret), a file (-SecretFile) or the
# LANSCATTER_SECRET environment variable; real nodes on loopback, every refusal an error record.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Helpers.ps1')
    Import-Module $StagedModule -Force
    $jobs = [Collections.Generic.List[object]]::new()
    $peerArgs = @{ Port = 0; Bind = '127.0.0.1'; Advertise = '127.0.0.1'; ConnectTimeoutSec = 20 }
    $secret = ConvertTo-SecureString 'the swarm secret of the pester tests' -AsPlainText -Force
    $secretFile = Join-Path (New-TestFolder) 'swarm.secret'
    Set-Content -LiteralPath $secretFile -Value 'the swarm secret of the pester tests'
    $m = New-TestFolder
    New-SampleData -Path $m -Files 3 -KiB 300
    $master = Start-LsMaster -Path $m -Port 0 -Bind 127.0.0.1 -ChunkSize 64KB -Name master -Secret $secret
    $jobs.Add($master)
    $address = "127.0.0.1:$($master.Port)"
    Wait-Until { (Get-LsSwarm -Job $master)[0].State -eq 'Serving' } 30 'the master serving'
}

AfterAll {
    Remove-TestJobs $jobs
}

Describe 'A swarm with a secret' {
    It 'syncs a peer given the secret as a file, and one given it in LANSCATTER_SECRET' {
        $a = Join-Path (New-TestFolder) 'a'
        $result = Start-LsPeer -Path $a -Master $address -SecretFile $secretFile -Once -Wait @peerArgs
        $result.InSync | Should -BeTrue
        Get-FolderDigest $a | Should -Be (Get-FolderDigest $m)

        $b = Join-Path (New-TestFolder) 'b'
        $env:LANSCATTER_SECRET = 'the swarm secret of the pester tests'
        try { $result = Start-LsPeer -Path $b -Master $address -Once -Wait @peerArgs }
        finally { Remove-Item Env:LANSCATTER_SECRET }
        $result.InSync | Should -BeTrue
        Get-FolderDigest $b | Should -Be (Get-FolderDigest $m)
    }

    It 'refuses a peer with a wrong secret at once: a terminating Unauthorized error, nothing written' {
        $c = Join-Path (New-TestFolder) 'c'
        $wrong = ConvertTo-SecureString 'some other swarm secret' -AsPlainText -Force
        $watch = [Diagnostics.Stopwatch]::StartNew()
        $err = $null
        try { Start-LsPeer -Path $c -Master $address -Secret $wrong -Once -Wait @peerArgs } catch { $err = $_ }
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 15 -Because 'a wrong secret is not retried'
        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -BeLike 'Unauthorized*'
        $err.CategoryInfo.Category | Should -Be 'SecurityError'
        $err.Exception.Message | Should -Match 'secret'
        @(Get-ChildItem -LiteralPath $c -File -ErrorAction SilentlyContinue).Count | Should -Be 0
    }

    It 'refuses a peer without a secret: the job fails with Reason Unauthorized' {
        $d = Join-Path (New-TestFolder) 'd'
        $peer = Start-LsPeer -Path $d -Master $address -Once @peerArgs
        $jobs.Add($peer)
        Wait-Job -Id $peer.Id -Timeout 30 | Out-Null
        $peer.State | Should -Be 'Failed'
        $peer.JobStateInfo.Reason.ErrorId | Should -Be 'Unauthorized'
        $peer.JobStateInfo.Reason.Message | Should -Match 'secret'
    }

    It 'answers Get-LsSwarm only with the secret, and takes Set-LsBandwidthLimit -Master with it' {
        $rows = Get-LsSwarm -Master $address -ErrorVariable err -ErrorAction SilentlyContinue
        $rows | Should -BeNullOrEmpty
        $err[0].FullyQualifiedErrorId | Should -BeLike 'Unauthorized,*'
        $err[0].TargetObject | Should -Be $address

        (Get-LsSwarm -Master $address -Secret $secret)[0].Role | Should -Be 'master'
        Set-LsBandwidthLimit -Master $address -SecretFile $secretFile -UploadMbps 123 -Confirm:$false
        (Get-LsSwarm -Master $address -SecretFile $secretFile)[0].UploadLimitMbps | Should -Be 123
        { Set-LsBandwidthLimit -Master $address -UploadMbps 1 -Confirm:$false -ErrorAction Stop } | Should -Throw -ErrorId 'Unauthorized,*'
    }

    It 'says what is wrong with a bad secret before anything starts' {
        { Start-LsPeer -Path (New-TestFolder) -Master $address -Secret $secret -SecretFile $secretFile -Once -Wait } | Should -Throw -ErrorId 'InvalidSecret,*'
        { Start-LsMaster -Path (New-TestFolder) -Port 0 -SecretFile (Join-Path (New-TestFolder) 'missing') } | Should -Throw -ErrorId 'InvalidSecret,*'
        $short = ConvertTo-SecureString 'tiny' -AsPlainText -Force
        { Get-LsSwarm -Master $address -Secret $short -ErrorAction Stop } | Should -Throw '*at least 12*'
    }
}
