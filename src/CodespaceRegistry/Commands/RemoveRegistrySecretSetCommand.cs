using System.Management.Automation;
using CodespaceRegistry.GitHub;
using CodespaceRegistry.Secrets;

namespace CodespaceRegistry.Commands
{
    /// <summary>
    /// <para type="synopsis">Removes a registry secret set (all of its secrets, misnamed ones included) from a repository, an organization or your user account.</para>
    /// </summary>
    [Cmdlet(VerbsCommon.Remove, "RegistrySecretSet", DefaultParameterSetName = RepositorySet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(RegistrySecretSet))]
    public sealed class RemoveRegistrySecretSetCommand : SecretSetLevelCmdletBase
    {
        /// <summary>Identifiers of the sets to remove.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [ValidateNotNullOrEmpty]
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
