using System.Management.Automation;
using CodespaceRegistry.Distribution;
using CodespaceRegistry.DockerConfig;

namespace CodespaceRegistry.Commands
{
    /// <summary>
    /// The parameters every cmdlet that talks to registries and reads or writes stored registry credentials shares
    /// (-ConfigPath, -Target, -Insecure, -NoCache), and what they mean, in one place.
    /// </summary>
    public abstract class CredentialFileCmdletBase : CmdletBase
    {
        public const string DockerConfig = "DockerConfig";
        public const string ContainersAuth = "ContainersAuth";

        /// <summary>The credential file: a docker config.json (or the directory holding it), or a containers auth.json with -Target ContainersAuth.</summary>
        [Parameter]
        public string? ConfigPath { get; set; }

        /// <summary>DockerConfig (docker's config.json, default) or ContainersAuth (podman/skopeo/buildah's auth.json).</summary>
        [Parameter]
        [ValidateSet(DockerConfig, ContainersAuth)]
        public string Target { get; set; } = DockerConfig;

        /// <summary>Allows plain HTTP and unverified certificates for the registries named, as docker's insecure-registries.</summary>
        [Parameter]
        public SwitchParameter Insecure { get; set; }

        /// <summary>
        /// Starts afresh: this command neither uses nor adds to what the session keeps between commands (pooled
        /// connections, each registry's ping and scheme, bearer tokens).
        /// </summary>
        [Parameter]
        public SwitchParameter NoCache { get; set; }

        /// <summary>A registry client for this command: the session's, or with -NoCache one of its own.</summary>
        protected RegistryClient CreateRegistryClient(RegistryClientOptions options) => CreateRegistryClient(options, NoCache);

        protected CredentialStore OpenCredentialStore()
        {
            if (Rehearsing.Value is { } rehearsal) return new CredentialStore(rehearsal.CredentialFile);
            // A PowerShell path (relative to the current location, ~, a PSDrive); .NET alone would resolve it against the
            // process directory, which Set-Location does not change.
            var path = string.IsNullOrWhiteSpace(ConfigPath) ? null : GetUnresolvedProviderPathFromPSPath(ConfigPath);
            return new CredentialStore(Target == ContainersAuth ? DockerConfigLocation.ForContainers(path) : DockerConfigLocation.ForDocker(path));
        }
    }
}
