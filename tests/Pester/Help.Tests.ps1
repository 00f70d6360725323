# Get-Help as a sysadmin meets it: every cmdlet and parameter explained, real examples, and the
# about_LanScatter topic, from the staged module's en-US folder.
BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'Helpers.ps1')
    $cmdlets = (Import-PowerShellDataFile -LiteralPath $StagedModule).CmdletsToExport | ForEach-Object { @{ Name = $_ } }
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'Helpers.ps1')
    Import-Module $StagedModule -Force
    $common = [System.Management.Automation.PSCmdlet]::CommonParameters + [System.Management.Automation.PSCmdlet]::OptionalCommonParameters
}

Describe 'Get-Help <Name>' -ForEach $cmdlets {
    BeforeAll {
        $help = Get-Help $Name -Full
    }

    It 'has a synopsis and a description of its own' {
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match "^\s*$Name\s*(\[|$)" # the text PowerShell makes up when there is no help
        ($help.description.Text -join ' ') | Should -Match '\w{4,}.*\w{4,}'
    }

    It 'describes every parameter' {
        $parameters = (Get-Command $Name).Parameters.Keys | Where-Object { $_ -notin $common }
        $parameters | Should -Not -BeNullOrEmpty
        foreach ($parameter in $parameters) {
            $text = (Get-Help $Name -Parameter $parameter).description.Text -join ' '
            $text | Should -Not -BeNullOrEmpty -Because "-$parameter of $Name needs a description"
        }
    }

    It 'has at least two examples, each with code and an explanation' {
        $examples = @($help.examples.example)
        $examples.Count | Should -BeGreaterOrEqual 2
        foreach ($example in $examples) {
            $example.code | Should -Match $Name.Split('-')[1] -Because 'an example shows the cmdlet in use'
            ($example.remarks.Text -join ' ') | Should -Not -BeNullOrEmpty
        }
    }
}

Describe 'The help that shows the three real uses' {
    It 'Start-LsPeer shows the script line, Invoke-Command fan-out and the scheduled task''s exit code' {
        $code = (Get-Help Start-LsPeer -Examples).examples.example.code -join "`n"
        $code | Should -Match 'Start-LsPeer -Path D:\\data -Master srv01'
        $code | Should -Match 'Invoke-Command -ComputerName'
        $code | Should -Match '\$LASTEXITCODE'
    }

    It 'Get-LsSwarm shows a report to CSV' {
        (Get-Help Get-LsSwarm -Examples).examples.example.code -join "`n" | Should -Match 'Export-Csv'
    }
}

Describe 'about_LanScatter' {
    It 'is found by Get-Help once the module is on the module path, and explains the model' {
        $text = Invoke-ChildPwsh "`$env:PSModulePath = '$(Split-Path -Parent (Split-Path -Parent $StagedModule))' + [IO.Path]::PathSeparator + `$env:PSModulePath; Get-Help about_LanScatter | Out-String -Width 200"
        foreach ($topic in 'master', 'peer', 'Jobs', 'Once-mode', 'secret', 'Limits', 'Exclud') {
            $text.Output | Should -Match $topic
        }
    }
}
