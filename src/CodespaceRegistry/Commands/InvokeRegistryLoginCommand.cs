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
    public sealed class InvokeRegistryLoginCommand : CredentialFileCmdletBase
    {
        public const string SecretSetSet = "SecretSet";
        public const string ServerSet = "Server";

        private RegistryClient? _client;
        private RegistryLogin? _login;
        private CredentialStore? _store;

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

        /// <summary>
        /// Names docker-credential-codespaces for the set's server in credHelpers instead of writing the password: the
        /// helper serves the set from the environment and fetches ECR tokens afresh, so pulls keep working after 12 hours.
        /// </summary>
        [Parameter(ParameterSetName = SecretSetSet)]
        public SwitchParameter UseCredentialHelper { get; set; }

        /// <summary>The ECR (or ECR Public) endpoint for the access-key swap; by default the registry region's, or AWS_ENDPOINT_URL_ECR.</summary>
        [Parameter(ParameterSetName = SecretSetSet)]
        public System.Uri? EcrEndpointUrl { get; set; }

        /// <summary>Stores the credentials without asking the registry first.</summary>
        [Parameter]
        public SwitchParameter SkipVerification { get; set; }

        /// <summary>Returns a RegistryLoginResult for each login.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void BeginProcessing()
        {
            _client = new RegistryClient();
            _store = OpenCredentialStore();
            _login = new RegistryLogin(_client, _store, CredentialResolver.WithAwsEndpoints(Clock, EcrEndpointUrl, null));
        }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == ServerSet)
            {
                try
                {
                    Login(RegistryServer.Parse(Server), new RegistryCredential(Credential.UserName, Credential.Password));
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
                    Login(set);
                }
                catch (RegistryException e)
                {
                    WriteError(e, set);
                }
            }
        }

        private void Login(RegistrySecretSet set)
        {
            var host = set.Server?.Host ?? set.Name;
            if (!ShouldProcess(host, UseCredentialHelper
                    ? $"Name docker-credential-{RegistryLogin.CredentialHelperName} for the server in credHelpers of {_store!.Location.Path}"
                    : $"Store the credentials of secret set '{set.Name}' in {_store!.Location.Path}{(SkipVerification ? " without verifying them" : " once the registry accepts them")}"))
                return;
            if (Insecure) _client!.Options.InsecureHosts.Add(host);
            if (set.EcrMode == EcrMode.AccessKey) WriteVerbose($"Swapping the access key of set '{set.Name}' for an ECR token ({set.Server?.Region}).");
            if (!SkipVerification) WriteVerbose($"Verifying secret set '{set.Name}' with {set.Server?.ApiHost}.");
            Completed(Run(ct => _login!.LoginAsync(set, !SkipVerification, UseCredentialHelper, ct)));
        }

        private void Login(RegistryServer server, RegistryCredential credential)
        {
            if (!ShouldProcess(server.Host, $"Store the credentials of user '{credential.UserName}' in {_store!.Location.Path}{(SkipVerification ? " without verifying them" : " once the registry accepts them")}"))
                return;
            if (Insecure) _client!.Options.InsecureHosts.Add(server.Host);
            WriteVerbose(SkipVerification ? $"Storing credentials for {server.Host} unverified." : $"Verifying user '{credential.UserName}' with {server.ApiHost}.");
            Completed(Run(ct => _login!.LoginAsync(server, credential, !SkipVerification, ct)));
        }

        private void Completed(RegistryLoginResult result)
        {
            if (result.FellBackToPlainHttp)
                WriteWarning($"{result.Server.ApiHost} does not speak TLS, so the login fell back to plain HTTP. Serve the registry over TLS, or write http:// in SERVER to make plain HTTP a choice.");
            foreach (var warning in result.Warnings)
            {
                WriteWarning(warning.Id == DockerConfigWarning.CredentialHelperNotInstalled && result.HelperName == RegistryLogin.CredentialHelperName
                    ? $"{warning.Message} It ships in {ModuleDirectory}; add that folder to PATH (for example in ~/.bashrc) so docker finds it."
                    : warning.Message);
            }
            WriteVerbose($"Stored for {result.ConfigKey} in {result.ConfigPath} ({result.Source}){(result.TokenExpiresAt != null ? $"; the ECR token expires at {result.TokenExpiresAt:u}" : "")}.");
            if (PassThru) WriteObject(result);
        }

        private static string ModuleDirectory => System.IO.Path.GetDirectoryName(typeof(InvokeRegistryLoginCommand).Assembly.Location) ?? ".";

        // Also when a terminating error or Ctrl+C skips EndProcessing.
        protected override void Dispose(bool disposing)
        {
            if (disposing) _client?.Dispose();
            base.Dispose(disposing);
        }
    }
}
