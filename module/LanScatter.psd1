# LanScatter module manifest. ModuleVersion is stamped by build.ps1 from Directory.Build.props.
@{
    RootModule           = 'LanScatter.psm1'
    ModuleVersion        = '0.1.0'
    GUID                 = 'eced4ea2-8e52-4d8a-aa7e-7a0f1b6131b9'
    Author               = 'LanScatter'
    CompanyName          = 'LanScatter'
    Copyright            = '(c) LanScatter contributors.'
    Description          = 'Distributes large folders from one master to many peers on a LAN, fast: peers fetch chunks from each other.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Desktop', 'Core')
    FormatsToProcess     = @('LanScatter.Format.ps1xml')
    CmdletsToExport      = @('Start-LsMaster', 'Start-LsPeer', 'Get-LsSwarm', 'Set-LsBandwidthLimit', 'Get-LsManifest')
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('sync', 'distribution', 'lan', 'mirror', 'swarm')
        }
    }
}
