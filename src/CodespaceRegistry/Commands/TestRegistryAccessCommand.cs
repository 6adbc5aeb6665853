using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Threading.Tasks;
using CodespaceRegistry.Access;
using CodespaceRegistry.Distribution;
using CodespaceRegistry.Registries;
using CodespaceRegistry.Secrets;

namespace CodespaceRegistry.Commands
{
    /// <summary>
    /// <para type="synopsis">Diagnoses access to a registry as the Codespaces docs ask you to by hand: set complete, server valid, DNS, TCP, TLS, registry API, sign-in, pull (and push) permission.</para>
    /// <para type="description">Each input (a secret set, a server or an image) gives a RegistryAccessReport: Passed, the first failed check and
    /// every check in order, each with its Status, Detail and Remediation. A check after a failed one is Skipped. Inputs are checked concurrently
    /// with progress; -Quiet returns one Boolean per input.</para>
    /// <para type="link">Get-RegistrySecretSet</para>
    /// <para type="link">Invoke-RegistryLogin</para>
    /// </summary>
    /// <example>
    /// <code>Get-RegistrySecretSet | Test-RegistryAccess</code>
    /// <para>Diagnoses every secret set in the environment.</para>
    /// </example>
    /// <example>
    /// <code>(Get-RegistrySecretSet -Name ACME | Test-RegistryAccess -Image ghcr.io/octo-org/app:1.0 -Push).Checks</code>
    /// <para>Every check for the set ACME, including pull and push permission on an image, with what to do about each failure.</para>
    /// </example>
    /// <example>
    /// <code>if (-not (Test-RegistryAccess -Server ghcr.io -Quiet)) { throw 'ghcr.io is not reachable' }</code>
    /// <para>A yes-or-no answer for a script.</para>
    /// </example>
    /// <remarks>
    /// The Image set is the default on purpose: PowerShell prefers the default set when a piped object binds a
    /// parameter that several sets share, and -Image is in both the Image and SecretSet sets. With SecretSet as the
    /// default, a RegistryReference from Find-RegistryReference would bind -Image and then miss -SecretSet.
    /// </remarks>
    [Cmdlet(VerbsDiagnostic.Test, "RegistryAccess", DefaultParameterSetName = ImageSet, HelpUri = "https://github.com/codespaceregistry/CodespaceRegistry#test-registryaccess")]
    [OutputType(typeof(RegistryAccessReport))]
    [OutputType(typeof(bool))]
    public sealed class TestRegistryAccessCommand : CredentialFileCmdletBase
    {
        public const string SecretSetSet = "SecretSet";
        public const string ServerSet = "Server";
        public const string ImageSet = "Image";

        private readonly List<RegistryAccessTarget> _targets = new List<RegistryAccessTarget>();
        private List<ImageReference>? _setImages;

        /// <summary>Secret sets from Get-RegistrySecretSet.</summary>
        [Parameter(ParameterSetName = SecretSetSet, Mandatory = true, Position = 0, ValueFromPipeline = true)]
        public RegistrySecretSet[] SecretSet { get; set; } = null!;

        /// <summary>Registry servers (host, host:port or URL); Get-RegistryServer's output binds by Host.</summary>
        [Parameter(ParameterSetName = ServerSet, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Host")]
        [ArgumentCompleter(typeof(Completion.RegistryServerCompleter))]
        public string[] Server { get; set; } = null!;

        /// <summary>Images whose pull permission is checked; with -SecretSet, the images on each set's server.</summary>
        [Parameter(ParameterSetName = ImageSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = SecretSetSet)]
        [Alias("Reference")]
        public string[] Image { get; set; } = null!;

        /// <summary>User and password for -Server and -Image (secret sets bring their own).</summary>
        [Parameter(ParameterSetName = ServerSet)]
        [Parameter(ParameterSetName = ImageSet)]
        [Credential]
        public PSCredential? Credential { get; set; }

        /// <summary>Also checks push permission on each image's repository (an upload is started and cancelled).</summary>
        [Parameter]
        public SwitchParameter Push { get; set; }

        /// <summary>The ECR (or ECR Public) endpoint for an access-key set's swap; by default the registry region's, or AWS_ENDPOINT_URL_ECR.</summary>
        [Parameter(ParameterSetName = SecretSetSet)]
        public System.Uri? EcrEndpointUrl { get; set; }

        /// <summary>The STS endpoint for an access-key set's identity check; by default the registry region's, or AWS_ENDPOINT_URL_STS.</summary>
        [Parameter(ParameterSetName = SecretSetSet)]
        public System.Uri? StsEndpointUrl { get; set; }

        /// <summary>Returns only whether each input passed.</summary>
        [Parameter]
        public SwitchParameter Quiet { get; set; }

        /// <summary>How many inputs are checked at once.</summary>
        [Parameter]
        [ValidateRange(1, 64)]
        public int ThrottleLimit { get; set; } = 4;

        protected override void ProcessRecord()
        {
            switch (ParameterSetName)
            {
                case SecretSetSet:
                    foreach (var set in SecretSet) AddSetTargets(set);
                    break;
                case ServerSet:
                    foreach (var input in Server) Add(input, () => RegistryAccessTarget.ForServer(RegistryServer.Parse(input), CredentialOrNull()));
                    break;
                default:
                    foreach (var input in Image) Add(input, () => RegistryAccessTarget.ForImage(ImageReference.Parse(input), CredentialOrNull()));
                    break;
            }
        }

        private void AddSetTargets(RegistrySecretSet set)
        {
            _setImages ??= ParseSetImages();
            var onServer = _setImages.Where(i => set.Server != null && i.Registry.Equals(set.Server)).ToList();
            if (_setImages.Count > 0 && onServer.Count == 0)
                WriteWarning($"No image given is on {set.Server?.Host ?? "the server"} of set '{set.Name}'; it is checked without a pull check.");
            if (onServer.Count == 0) _targets.Add(RegistryAccessTarget.ForSecretSet(set));
            foreach (var image in onServer) _targets.Add(RegistryAccessTarget.ForSecretSet(set, image));
        }

        // Parsed at the first set, once the parameter set is known; a bad image stops the command (it applies to every set).
        private List<ImageReference> ParseSetImages()
        {
            var images = new List<ImageReference>();
            foreach (var input in Image ?? new string[0])
            {
                try
                {
                    images.Add(ImageReference.Parse(input));
                }
                catch (RegistryException e)
                {
                    ThrowTerminating(e, input);
                }
            }
            return images;
        }

        private void Add(string input, System.Func<RegistryAccessTarget> create)
        {
            try
            {
                _targets.Add(create());
            }
            catch (RegistryException e)
            {
                WriteError(e, input);
            }
        }

        private RegistryCredential? CredentialOrNull() =>
            Credential == null || Credential == PSCredential.Empty ? null : new RegistryCredential(Credential.UserName, Credential.Password);

        protected override void EndProcessing()
        {
            if (_targets.Count == 0) return;
            var options = new RegistryClientOptions();
            if (Insecure)
            {
                foreach (var server in _targets.Where(t => t.Server != null)) options.InsecureHosts.Add(server.Server!.Host);
            }
            using var client = new RegistryClient(options);
            var store = OpenCredentialStore();
            var tester = new RegistryAccessTester(client, CredentialResolver.WithAwsEndpoints(Clock, EcrEndpointUrl, StsEndpointUrl), (server, ct) => StoredCredentialsCheck.RunAsync(store, server, ct));
            foreach (var target in _targets) WriteVerbose($"Checking {target.Name}{(target.UserName != null ? " as " + target.UserName : "")}.");

            var tasks = tester.StartAll(_targets, Push, ThrottleLimit, StopToken).ToList();
            var pending = tasks.ToList();
            var progress = new ProgressRecord(1, "Test-RegistryAccess", "Checking registry access");
            while (pending.Count > 0)
            {
                var done = Task.WhenAny(pending).GetAwaiter().GetResult();
                pending.Remove(done);
                var target = _targets[tasks.IndexOf(done)];
                progress.PercentComplete = 100 * (tasks.Count - pending.Count) / tasks.Count;
                progress.StatusDescription = $"{tasks.Count - pending.Count} of {tasks.Count} checked ({target.Name})";
                WriteProgress(progress);
                RegistryAccessReport report;
                try
                {
                    report = done.GetAwaiter().GetResult();
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // One input that cannot be checked is that input's error; the others still report.
                    WriteError(e, target.SecretSet ?? (object)target.Name);
                    continue;
                }
                WriteObject(Quiet ? (object)report.Passed : report);
            }
            progress.RecordType = ProgressRecordType.Completed;
            WriteProgress(progress);
            WriteVerbose($"{client.RoundTrips} HTTP round trips.");
        }
    }
}
