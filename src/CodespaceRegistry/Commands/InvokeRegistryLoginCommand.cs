using System.Management.Automation;
using CodespaceRegistry.Commands.Completion;
using CodespaceRegistry.Access;
using CodespaceRegistry.Distribution;
using CodespaceRegistry.DockerConfig;
using CodespaceRegistry.Registries;
using CodespaceRegistry.Secrets;

namespace CodespaceRegistry.Commands
{
    /// <summary>
    /// <para type="synopsis">Logs in to a registry as a codespace does: verifies the credentials against the registry, then stores them in the docker config (or its credential helper).</para>
    /// <para type="description">The registry verifies the credentials first (/v2/ with Basic, or a Bearer token from its token server), and only
    /// credentials it accepted are stored: in docker's config.json, or the helper its credsStore or credHelpers names. A refused login stores
    /// nothing and leaves the file as it was. A set a codespace could not log in with (incomplete, a server that is not a registry, a space pasted
    /// into a value) is refused before any registry is asked. An ECR set holding an AWS access key is swapped for an ECR token first.</para>
    /// <para type="link">Get-RegistrySecretSet</para>
    /// <para type="link">Test-RegistryAccess</para>
    /// </summary>
    /// <example>
    /// <code>Get-RegistrySecretSet | Invoke-RegistryLogin -PassThru</code>
    /// <para>Logs in with every set in the environment, as a codespace does when it starts, and returns what was stored where.</para>
    /// </example>
    /// <example>
    /// <code>Invoke-RegistryLogin -Server ghcr.io -Credential (Get-Credential)</code>
    /// <para>Logs in to the GitHub Container registry with a user and token you type.</para>
    /// </example>
    /// <example>
    /// <code>Invoke-RegistryLogin -Server localhost:5000 -Credential $c -Target ContainersAuth</code>
    /// <para>Stores the credentials in the auth.json podman, skopeo and buildah read.</para>
    /// </example>
    /// <example>
    /// <code>Get-RegistrySecretSet -Name ECR | Invoke-RegistryLogin -UseCredentialHelper</code>
    /// <para>Names docker-credential-codespaces for the ECR registry in credHelpers, so docker gets a fresh ECR token whenever the 12-hour one runs out.</para>
    /// </example>
    [Cmdlet(VerbsLifecycle.Invoke, "RegistryLogin", DefaultParameterSetName = SecretSetSet, SupportsShouldProcess = true, HelpUri = "https://github.com/codespaceregistry/CodespaceRegistry#invoke-registrylogin")]
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

        /// <summary>The registry server, as in a SERVER secret: ghcr.io, https://index.docker.io/v1/, an ECR host, localhost:5000.</summary>
        [Parameter(ParameterSetName = ServerSet, Mandatory = true, Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Host")]
        [ServerArgument]
        [ArgumentCompleter(typeof(RegistryServerCompleter))]
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

        /// <summary>
        /// Stores the credentials without asking the registry first. With -UseCredentialHelper, an ECR access key is not
        /// swapped now either (the helper swaps it when a client asks), so nothing on the network is asked.
        /// </summary>
        [Parameter]
        public SwitchParameter SkipVerification { get; set; }

        /// <summary>Returns a RegistryLoginResult for each login.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void BeginProcessing()
        {
            _client = CreateRegistryClient(new RegistryClientOptions());
            _store = OpenCredentialStore();
            _login = new RegistryLogin(_client, _store, CredentialResolver.WithAwsEndpoints(Clock, EcrEndpointUrl, null));
        }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == ServerSet)
            {
                try
                {
                    Login(RegistryServer.Parse(Server), RegistryCredential.Given(Credential.UserName, Credential.Password));
                }
                catch (RegistryException e)
                {
                    WriteError(e, Server);
                }
                return;
            }
            foreach (var set in SecretSet)
            {
                _count++;
                WriteProgress(new ProgressRecord(ProgressId, "Logging in to registries", $"Secret set {set.Name} ({_count})")
                {
                    CurrentOperation = SkipVerification ? "Storing" : "Verifying with the registry, then storing",
                });
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

        private const int ProgressId = 1;
        private int _count;

        protected override void EndProcessing()
        {
            if (_count > 0) WriteProgress(new ProgressRecord(ProgressId, "Logging in to registries", "Done") { RecordType = ProgressRecordType.Completed });
        }

        private void Login(RegistrySecretSet set)
        {
            var host = set.Server?.Host ?? set.Name;
            if (!ShouldProcess(host, UseCredentialHelper
                    ? $"Name docker-credential-{RegistryLogin.CredentialHelperName} for the server in credHelpers of {_store!.Location.Path}"
                    : $"Store the credentials of secret set '{set.Name}' in {_store!.Location.Path}{(SkipVerification ? " without verifying them" : " once the registry accepts them")}"))
                return;
            if (Insecure) _client!.Options.InsecureHosts.Add(host);
            if (set.EcrMode == EcrMode.AccessKey && !(UseCredentialHelper && SkipVerification)) WriteVerbose($"Swapping the access key of set '{set.Name}' for an ECR token ({set.Server?.Region}).");
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
