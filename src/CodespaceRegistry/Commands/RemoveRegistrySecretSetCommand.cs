using System.Management.Automation;
using CodespaceRegistry.Commands.Completion;
using CodespaceRegistry.GitHub;
using CodespaceRegistry.Secrets;

namespace CodespaceRegistry.Commands
{
    /// <summary>
    /// <para type="synopsis">Removes a registry secret set (all of its secrets, misnamed ones included) from a repository, an organization or your user account.</para>
    /// <para type="description">Deletes ID_CONTAINER_REGISTRY_SERVER, _USER and _PASSWORD, and any secret of the set written under a slightly wrong
    /// name, from the level named. It asks for confirmation by default (-Confirm:$false to skip); -WhatIf shows what would be removed.
    /// Running codespaces keep the values until they are stopped and started.</para>
    /// <para type="link">Set-RegistrySecretSet</para>
    /// <para type="link">Get-RegistrySecretSet</para>
    /// </summary>
    /// <example>
    /// <code>Remove-RegistrySecretSet -Name ACME -Organization octo-org</code>
    /// <para>Removes the organization's set ACME, after asking.</para>
    /// </example>
    /// <example>
    /// <code>Get-RegistrySecretSet -Repository octo-org/app -Level Repository -Name OLD* | Remove-RegistrySecretSet -Repository octo-org/app -WhatIf</code>
    /// <para>Shows which of the repository's sets whose names start with OLD would be removed.</para>
    /// </example>
    [Cmdlet(VerbsCommon.Remove, "RegistrySecretSet", DefaultParameterSetName = RepositorySet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High,
        HelpUri = "https://github.com/codespaceregistry/CodespaceRegistry#set-registrysecretset-and-remove-registrysecretset")]
    [OutputType(typeof(RegistrySecretSet))]
    public sealed class RemoveRegistrySecretSetCommand : SecretSetLevelCmdletBase
    {
        /// <summary>Identifiers of the sets to remove.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(SecretSetNameCompleter))]
        public string[] Name { get; set; } = null!;

        protected override void ProcessRecord()
        {
            SecretLocation location;
            try
            {
                location = Location();
            }
            catch (RegistryException e)
            {
                ThrowTerminating(e, (object?)Repository ?? Organization);
                return;
            }

            foreach (var name in Name)
            {
                if (!ShouldProcess($"registry secret set {name} in {location}", "Remove")) continue;
                var api = SecretsApi();
                WriteVerbose($"Removing the registry secret set {name} from {location}.");
                try
                {
                    var removed = Run(ct => GitHubSecretSetWriter.RemoveAsync(api, location, name, ct));
                    if (PassThru) WriteObject(removed);
                }
                catch (RegistryException e)
                {
                    WriteError(e, name);
                }
            }
        }
    }
}
