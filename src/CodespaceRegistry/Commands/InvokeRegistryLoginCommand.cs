using System.Management.Automation;
using CodespaceRegistry.Access;
using CodespaceRegistry.Distribution;
using CodespaceRegistry.DockerConfig;
using CodespaceRegistry.Registries;
using CodespaceRegistry.Secrets;

namespace CodespaceRegistry.Commands
{
    /// <summary>
    /// <para type="synopsis">Logs in to a registry as a codespace does: verifies the credentials against the registry, then stores them in the docker config (or its credential helper).</para>
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "RegistryLogin", DefaultParameterSetName = SecretSetSet, SupportsShouldProcess = true)]
    [OutputType(typeof(RegistryLoginResult))]
    public sealed class InvokeRegistryLoginCommand : CmdletBase
    {
        public const string SecretSetSet = "SecretSet";
        public const string ServerSet = "Server";

        private RegistryClient? _client;
        private RegistryLogin? _login;
        private CredentialStore? _store;
        private readonly CredentialResolver _credentials = new CredentialResolver();

        /// <summary>Secret sets from Get-RegistrySecretSet.</summary>
        [Parameter(ParameterSetName = SecretSetSet, Mandatory = true, Position = 0, ValueFromPipeline = true)]
        public RegistrySecretSet[] SecretSet { get; set; } = null!;

        /// <summary>The registry server, as in a SERVER secret.</summary>
        [Parameter(ParameterSetName = ServerSet, Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Host")]
        public string Server { get; set; } = null!;

        /// <summary>The user and password (or token) to log in with.</summary>
        [Parameter(ParameterSetName = ServerSet, Mandatory = true, Position = 1)]
        [Credential]
        public PSCredential Credential { get; set; } = null!;

        /// <summary>The credential file: a docker config.json (or the directory holding it), or a containers auth.json with -Target ContainersAuth.</summary>
        [Parameter]
        public string? ConfigPath { get; set; }

        /// <summary>DockerConfig (docker's config.json, default) or ContainersAuth (podman/skopeo/buildah's auth.json).</summary>
        [Parameter]
        [ValidateSet(CredentialFiles.DockerConfig, CredentialFiles.ContainersAuth)]
        public string Target { get; set; } = CredentialFiles.DockerConfig;

        /// <summary>Stores the credentials without asking the registry first.</summary>
        [Parameter]
        public SwitchParameter SkipVerification { get; set; }

        /// <summary>Allows plain HTTP and unverified certificates for this registry.</summary>
        [Parameter]
        public SwitchParameter Insecure { get; set; }

        /// <summary>Returns a RegistryLoginResult for each login.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void BeginProcessing()
        {
            _client = new RegistryClient();
            _store = CredentialFiles.Open(Target, ConfigPath);
            _login = new RegistryLogin(_client, _store);
        }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == ServerSet)
            {
                try
                {
                    Login(RegistryServer.Parse(Server), new RegistryCredential(Credential.UserName, Credential.Password), null);
                }
                catch (RegistryException e)
                {
                    WriteError(e, Server);
                }
                return;
            }
            foreach (var set in SecretSet)
            {
                try
                {
                    var credential = Run(ct => _credentials.ResolveAsync(set, ct));
                    Login(set.Server!, credential, set.Name);
                }
                catch (RegistryException e)
                {
                    WriteError(e, set);
                }
            }
        }

        private void Login(RegistryServer server, RegistryCredential credential, string? setName)
        {
            if (!ShouldProcess(server.Host, $"Store the credentials of user '{credential.UserName}' in {_store!.Location.Path}{(SkipVerification ? " without verifying them" : " once the registry accepts them")}"))
                return;
            if (Insecure) _client!.Options.InsecureHosts.Add(server.Host);
            WriteVerbose(SkipVerification ? $"Storing credentials for {server.Host} unverified." : $"Verifying user '{credential.UserName}' with {server.ApiHost}.");
            var result = Run(ct => _login!.LoginAsync(server, credential, !SkipVerification, ct, setName));
            foreach (var warning in result.Warnings) WriteWarning(warning.Message);
            WriteVerbose($"Stored for {result.ConfigKey} in {result.ConfigPath} ({result.Source}).");
            if (PassThru) WriteObject(result);
        }

        protected override void EndProcessing() => _client?.Dispose();
    }
}
