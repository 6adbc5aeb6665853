using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using CodespaceRegistry.DockerConfig;
using CodespaceRegistry.Registries;

namespace CodespaceRegistry.Access
{
    /// <summary>
    /// The "stored credentials present and not shadowed" check: what a client on this machine would send to the server,
    /// read from the credential file without running a helper or revealing a secret.
    /// </summary>
    public static class StoredCredentialsCheck
    {
        public static async Task<RegistryAccessCheck> RunAsync(CredentialStore store, RegistryServer server, CancellationToken cancellationToken)
        {
            CredentialSourceDescription description;
            try
            {
                description = await store.DescribeAsync(server, cancellationToken).ConfigureAwait(false);
            }
            catch (RegistryException e)
            {
                return RegistryAccessCheck.From(RegistryAccessCheck.StoredCredentials, e);
            }

            var name = RegistryAccessCheck.StoredCredentials;
            var where = $"{description.ConfigPath} (key \"{description.ConfigKey}\")";
            var remediation = string.Join(" ", description.Warnings.Select(w => w.Message));
            if (description.HelperName != null && description.HelperPath == null)
            {
                return new RegistryAccessCheck(name, CheckStatus.Failed,
                    $"{where} sends the credential to docker-credential-{description.HelperName}, which is not installed.", remediation, DockerConfigWarning.CredentialHelperNotInstalled);
            }
            if (description.Source == CredentialSource.None)
            {
                return new RegistryAccessCheck(name, CheckStatus.Warning, $"No credential for {server.Host} is stored in {where}; pulls from this machine are anonymous.",
                    "Run Invoke-RegistryLogin with the set (or docker login) to store one.", "StoredCredentialMissing");
            }
            var source = description.HelperName != null ? $"docker-credential-{description.HelperName} ({description.Source})" : "the file's auths entry";
            var shadowed = description.AuthsEntryShadowed || description.IgnoredHelperKey != null;
            var warned = description.Warnings.Any(w => w.Id != DockerConfigWarning.PlainTextCredential);
            return new RegistryAccessCheck(name, shadowed || warned ? CheckStatus.Warning : CheckStatus.Passed,
                $"A credential for {server.Host} is stored with {source}, per {where}.{(shadowed ? " Another entry for the server is shadowed or ignored." : "")}",
                remediation, shadowed ? (description.AuthsEntryShadowed ? DockerConfigWarning.StaleAuthsEntry : DockerConfigWarning.CredHelpersKeyIgnored) : null);
        }
    }
}
