# Source manifest. `dotnet publish src/CodespaceRegistry -c Release` stamps ModuleVersion and stages it in out/CodespaceRegistry.
@{
    RootModule           = 'CodespaceRegistry.dll'
    ModuleVersion        = '0.0.0'
    GUID                 = '0bf65140-844b-4e8b-9817-5cc6e50b676c'
    Author               = 'CodespaceRegistry contributors'
    CompanyName          = 'CodespaceRegistry contributors'
    Copyright            = '(c) CodespaceRegistry contributors. All rights reserved.'
    Description          = "GitHub Codespaces' private-registry access model for the shell: find registry secret sets, decide how a codespace reaches a package, log in to registries as a codespace does (including the AWS ECR credential swap) and diagnose access that fails."
    CompatiblePSEditions = @('Desktop', 'Core')
    PowerShellVersion    = '5.1'
    FormatsToProcess     = @('CodespaceRegistry.format.ps1xml')
    TypesToProcess       = @('CodespaceRegistry.types.ps1xml')
    CmdletsToExport      = @(
        'Get-RegistrySecretSet'
        'Get-RegistryServer'
        'Find-RegistryReference'
        'Resolve-PackageAccess'
        'Remove-RegistrySecretSet'
        'Set-RegistrySecretSet'
        'Invoke-RegistryLogin'
        'Test-RegistryAccess'
        'Invoke-RegistryAudit'
        'Export-RegistryAudit'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Codespaces', 'GitHub', 'ContainerRegistry', 'Docker', 'ECR', 'Registry', 'Credentials', 'PSEdition_Core', 'PSEdition_Desktop')
            ProjectUri   = 'https://github.com/codespaceregistry/CodespaceRegistry'
            LicenseUri   = 'https://github.com/codespaceregistry/CodespaceRegistry/blob/main/LICENSE'
            ReleaseNotes = 'See README.md.'
            # The platform (.NET runtime identifier) the bundled docker-credential-codespaces is built for, stamped by the
            # build; empty when the module was staged without it. The cmdlets run on every platform PowerShell runs on.
            CredentialHelperRuntime = ''
        }
    }
}
