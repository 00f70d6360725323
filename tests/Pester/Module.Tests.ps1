# The staged module as a user imports it: what it exports, its formats, Get-LsManifest, and the
# netstandard2.0 build (the one Windows PowerShell 5.1 loads) running in this PowerShell.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Helpers.ps1')
    Import-Module $StagedModule -Force
    $folder = New-TestFolder
    New-Item -ItemType Directory -Path (Join-Path $folder 'sub/empty') -Force | Out-Null
    [IO.File]::WriteAllText((Join-Path $folder 'a.txt'), 'abc')
}

AfterAll {
    Remove-Item -LiteralPath $folder -Recurse -Force -ErrorAction SilentlyContinue
}

Describe 'Module manifest' {
    It 'exports exactly the five cmdlets' {
        (Get-Module LanScatter).ExportedCmdlets.Keys | Sort-Object |
            Should -Be @('Get-LsManifest', 'Get-LsSwarm', 'Set-LsBandwidthLimit', 'Start-LsMaster', 'Start-LsPeer')
    }
    It 'has the version from Directory.Build.props' {
        $props = [xml](Get-Content -Raw (Join-Path $Root 'Directory.Build.props'))
        (Get-Module LanScatter).Version | Should -Be ([version]$props.Project.PropertyGroup.Version)
    }
    It 'has a table view for every type the cmdlets write' {
        $types = 'LanScatter.Core.Nodes.SwarmNodeInfo', 'LanScatter.PowerShell.Jobs.LanScatterJob', 'LanScatter.PowerShell.Jobs.NodeResult',
            'LanScatter.PowerShell.Jobs.NodeMilestone', 'LanScatter.Core.Manifest.FolderManifest'
        foreach ($type in $types) {
            Get-FormatData -TypeName $type | Should -Not -BeNullOrEmpty -Because "$type needs a view"
        }
    }
}

Describe 'Get-LsManifest' {
    It 'returns a manifest object whose chunk id is BLAKE2b-256 of the bytes' {
        $manifest = Get-LsManifest -Path $folder -ChunkSize 64KB
        $manifest.Files.Count | Should -Be 1
        $manifest.Files[0].Path | Should -Be 'a.txt'
        $manifest.Files[0].Chunks[0].Id | Should -Be 'bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319'
        $manifest.EmptyDirectories | Should -Be @('sub/empty')
    }
    It 'emits JSON with -AsJson' {
        (Get-LsManifest -Path $folder -AsJson | ConvertFrom-Json).format | Should -Be 1
    }
    It 'accepts folders from the pipeline' {
        (Get-Item $folder | Get-LsManifest).Files.Count | Should -Be 1
    }
    It 'writes a non-terminating FolderNotFound error for a missing folder' {
        $result = Get-LsManifest -Path (Join-Path $folder 'nope') -ErrorVariable err -ErrorAction SilentlyContinue
        $result | Should -BeNullOrEmpty
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'FolderNotFound,*'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }
    It 'rejects a chunk size out of range before doing any work' {
        { Get-LsManifest -Path $folder -ChunkSize 1KB -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
    }
}

Describe 'The netstandard2.0 build (what Windows PowerShell 5.1 loads)' {
    It 'imports in a fresh pwsh and runs a master and a once-peer with a swarm secret to an identical folder' {
        $m = New-TestFolder; $p = Join-Path (New-TestFolder) 'peer'
        New-SampleData -Path $m -Files 3 -KiB 300
        $dll = Join-Path $Root 'artifacts/module/LanScatter/bin/netstandard2.0/LanScatter.PowerShell.dll'
        $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$dll'
`$loaded = (Get-Command Start-LsMaster).ImplementingType.Assembly.Location
if (`$loaded -notlike '*netstandard2.0*') { throw "loaded `$loaded" }
# With a secret: the join exchange, sealed messages and signed requests run in this build too.
`$secret = ConvertTo-SecureString 'a secret for the netstandard2.0 build' -AsPlainText -Force
`$master = Start-LsMaster -Path '$m' -Port 0 -Bind 127.0.0.1 -ChunkSize 64KB -Secret `$secret
Wait-Job -Id `$master.Id -Timeout 1 | Out-Null
`$result = Start-LsPeer -Path '$p' -Master "127.0.0.1:`$(`$master.Port)" -Port 0 -Bind 127.0.0.1 -Advertise 127.0.0.1 -Once -Wait -Name ns20 -Secret `$secret
Stop-Job -Id `$master.Id
`$core = [AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'LanScatter.Core' }
if (`$core.Location -notlike '*netstandard2.0*') { throw "engine loaded from `$(`$core.Location)" }
"in-sync=`$(`$result.InSync) state=`$((Get-Job -Id `$master.Id).State)"
"@
        $run = Invoke-ChildPwsh $script
        $run.Output | Should -Match 'in-sync=True state=Stopped'
        $run.ExitCode | Should -Be 0
        Get-FolderDigest $p | Should -Be (Get-FolderDigest $m)
    }
}
