# Installing like any module: the .nupkg that build.ps1 -Task Package made is published to a local
# folder repository and installed with PSResourceGet on a "machine" (a fresh home folder) that
# never had LanScatter; a fresh pwsh then imports it by name and runs a master and a peer from it.
BeforeAll {
    . (Join-Path $PSScriptRoot 'Helpers.ps1')
    $package = Get-ChildItem -LiteralPath (Join-Path $Root 'artifacts/package') -Filter 'LanScatter.*.nupkg' -ErrorAction Ignore | Select-Object -First 1
    $version = (Import-PowerShellDataFile -LiteralPath $StagedModule).ModuleVersion
}

Describe 'Install-PSResource from a local repository' {
    It 'build.ps1 -Task Package made a package of the staged module, named with the module''s version' {
        $package | Should -Not -BeNullOrEmpty -Because 'build.ps1 -Task Test packages before running Pester'
        $package.Name | Should -Be "LanScatter.$version.nupkg"
    }

    It 'publishes, installs into a clean module path, imports by name in a fresh pwsh and syncs a peer from the installed copy' {
        $machine = New-TestFolder
        $repository = New-TestFolder
        $m = New-TestFolder
        New-SampleData -Path $m -Files 3 -KiB 200
        $p = Join-Path (New-TestFolder) 'peer'

        $install = Invoke-IsolatedPwsh $machine @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name LsTest -Uri '$repository' -Trusted
Publish-PSResource -NupkgPath '$($package.FullName)' -Repository LsTest
if (Get-Module -ListAvailable LanScatter) { throw 'LanScatter was already on this module path' }
Install-PSResource -Name LanScatter -Repository LsTest -Scope CurrentUser
(Get-InstalledPSResource -Name LanScatter).InstalledLocation
"@
        $install.ExitCode | Should -Be 0 -Because $install.Error
        Get-ChildItem -LiteralPath $repository -Filter '*.nupkg' | Should -Not -BeNullOrEmpty
        $install.Output.Trim() | Should -BeLike "$machine*"

        $run = Invoke-IsolatedPwsh $machine @"
`$ErrorActionPreference = 'Stop'
Import-Module LanScatter
`$master = Start-LsMaster -Path '$m' -Port 0 -Bind 127.0.0.1 -ChunkSize 64KB
try {
    `$deadline = [DateTime]::UtcNow.AddSeconds(30)
    while ((Get-LsSwarm -Job `$master)[0].State -ne 'Serving') { if ([DateTime]::UtcNow -gt `$deadline) { throw 'the master did not serve' }; Start-Sleep -Milliseconds 100 }
    `$result = Start-LsPeer -Path '$p' -Master "127.0.0.1:`$(`$master.Port)" -Once -Wait -Port 0 -Bind 127.0.0.1 -Advertise 127.0.0.1
}
finally {
    Stop-Job -Id `$master.Id; Remove-Job -Id `$master.Id
}
'{0}|{1}|{2}' -f (Get-Module LanScatter).ModuleBase, (Get-Module LanScatter).Version, `$result.InSync
"@
        $run.ExitCode | Should -Be 0 -Because $run.Error
        $base, $loaded, $inSync = $run.Output.Trim().Split('|')
        $base | Should -BeLike "$machine*" -Because 'the module comes from the installed copy, not the build'
        $loaded | Should -Be $version
        $inSync | Should -Be 'True'
        Get-FolderDigest $p | Should -Be (Get-FolderDigest $m)
    }
}
