#Requires -Version 5.1
<#
.SYNOPSIS
    Builds LanScatter, runs its tests and stages the PowerShell module.
.DESCRIPTION
    Build  : dotnet build of the solution.
    Test   : the xunit suite (dotnet test), then the Pester tests against the staged module when Pester 5 is installed.
    Stage  : publishes the cmdlet assembly for netstandard2.0 (Windows PowerShell 5.1) and net8.0 (PowerShell 7.4+)
             into artifacts/module/LanScatter, with the manifest (version stamped from Directory.Build.props).
    All    : Build, Stage, Test.
.EXAMPLE
    ./build.ps1 -Task All
.EXAMPLE
    Import-Module ./artifacts/module/LanScatter; Get-LsManifest -Path D:\data
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Stage', 'All')]
    [string] $Task = 'All',
    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
$root = $PSScriptRoot
$staged = Join-Path $root 'artifacts/module/LanScatter'

function Invoke-Dotnet {
    & dotnet @args
    if ($LASTEXITCODE -ne 0) { throw "dotnet $($args -join ' ') failed with exit code $LASTEXITCODE" }
}

function Get-ProductVersion {
    $props = [xml](Get-Content -Raw -LiteralPath (Join-Path $root 'Directory.Build.props'))
    $version = $props.Project.PropertyGroup.Version | Where-Object { $_ } | Select-Object -First 1
    if (-not $version) { throw 'Directory.Build.props has no <Version>.' }
    return $version
}

function Invoke-Build { Invoke-Dotnet build (Join-Path $root 'LanScatter.sln') -c $Configuration }

function Invoke-Stage {
    if (Test-Path -LiteralPath $staged) { Remove-Item -LiteralPath $staged -Recurse -Force }
    $project = Join-Path $root 'src/LanScatter.PowerShell/LanScatter.PowerShell.csproj'
    foreach ($framework in 'netstandard2.0', 'net8.0') {
        Invoke-Dotnet publish $project -c $Configuration -f $framework -o (Join-Path $staged "bin/$framework")
        # PowerShell itself provides System.Management.Automation; never ship a copy.
        Get-ChildItem -LiteralPath (Join-Path $staged "bin/$framework") -Filter 'System.Management.Automation.dll' | Remove-Item
    }
    foreach ($file in 'LanScatter.psm1', 'LanScatter.Format.ps1xml') {
        Copy-Item -LiteralPath (Join-Path $root "module/$file") -Destination $staged
    }
    $version = Get-ProductVersion
    $manifest = Get-Content -Raw -LiteralPath (Join-Path $root 'module/LanScatter.psd1')
    $manifest = $manifest -replace "ModuleVersion\s*=\s*'[^']*'", "ModuleVersion        = '$version'"
    Set-Content -LiteralPath (Join-Path $staged 'LanScatter.psd1') -Value $manifest -Encoding UTF8
    Write-Host "Staged LanScatter $version at $staged"
}

function Invoke-Test {
    Invoke-Dotnet test (Join-Path $root 'LanScatter.sln') -c $Configuration
    $pester = Get-Module -ListAvailable Pester | Where-Object { $_.Version.Major -ge 5 } | Select-Object -First 1
    if (-not $pester) {
        Write-Warning 'Pester 5 is not installed: skipping tests/Pester (Install-Module Pester -MinimumVersion 5.0).'
        return
    }
    if (-not (Test-Path -LiteralPath $staged)) { Invoke-Stage }
    Import-Module $pester
    $config = New-PesterConfiguration
    $config.Run.Path = Join-Path $root 'tests/Pester'
    $config.Run.Exit = $true
    $config.Output.Verbosity = 'Detailed'
    Invoke-Pester -Configuration $config
}

switch ($Task) {
    'Build' { Invoke-Build }
    'Stage' { Invoke-Stage }
    'Test' { Invoke-Test }
    'All' { Invoke-Build; Invoke-Stage; Invoke-Test }
}
