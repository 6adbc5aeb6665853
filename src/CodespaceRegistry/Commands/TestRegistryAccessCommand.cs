using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
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

        /// <summary>One answer per input, in input order: a check to run, or the error of an input that cannot be checked.</summary>
        private readonly List<(RegistryAccessTarget? Target, Exception? Error, object? Input)> _inputs = new List<(RegistryAccessTarget?, Exception?, object?)>();
        private readonly List<RegistrySecretSet> _pipedSets = new List<RegistrySecretSet>();
        private IReadOnlyList<RegistrySecretSet>? _environmentSets;

        /// <summary>Secret sets from Get-RegistrySecretSet.</summary>
        [Parameter(ParameterSetName = SecretSetSet, Mandatory = true, Position = 0, ValueFromPipeline = true)]
        public RegistrySecretSet[] SecretSet { get; set; } = null!;

        /// <summary>Registry servers (host, host:port or URL); Get-RegistryServer's output binds by Host.</summary>
        [Parameter(ParameterSetName = ServerSet, Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Host")]
        [ArgumentCompleter(typeof(Completion.RegistryServerCompleter))]
        public string[] Server { get; set; } = null!;

        /// <summary>Images whose pull permission is checked, each with the secret set a codespace would log in to its registry with (the environment's, or with -SecretSet the piped sets'), else anonymously.</summary>
        [Parameter(ParameterSetName = ImageSet, Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = SecretSetSet)]
        [Alias("Reference")]
        public string[] Image { get; set; } = null!;

        /// <summary>User and password for -Server and -Image, instead of the secret set for the image's registry.</summary>
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
                    // With -Image, each image takes the piped set for its server, once every set is in (EndProcessing).
                    foreach (var set in SecretSet)
                    {
                        if (HasImages) _pipedSets.Add(set);
                        else Add(set, () => RegistryAccessTarget.ForSecretSet(set));
                    }
                    break;
                case ServerSet:
                    foreach (var input in Server) Add(input, () => RegistryAccessTarget.ForServer(RegistryServer.Parse(input), CredentialOrNull()));
                    break;
                default:
                    foreach (var input in Image) Add(input, () => ImageTarget(ImageReference.Parse(input), null));
                    break;
            }
        }

        private bool HasImages => Image != null && Image.Length > 0;

        /// <summary>
        /// An image as a codespace pulls it: -Credential if given, else the set for its registry among
        /// <paramref name="sets"/> (the environment's when null), else anonymously.
        /// </summary>
        private RegistryAccessTarget ImageTarget(ImageReference image, IReadOnlyList<RegistrySecretSet>? sets)
        {
            var credential = CredentialOrNull();
            if (credential != null) return RegistryAccessTarget.ForImage(image, credential);
            return RegistryAccessTarget.ForImageAsCodespace(image, sets ?? (_environmentSets ??= EnvironmentSecretSets()));
        }

        /// <summary>Piped sets with -Image: every image, with the set for its server or anonymously; then each set that names no image's server.</summary>
        private void AddSetImages()
        {
            var servers = new List<RegistryServer>();
            foreach (var input in Image)
            {
                Add(input, () =>
                {
                    var image = ImageReference.Parse(input);
                    servers.Add(image.Registry);
                    return ImageTarget(image, _pipedSets);
                });
            }
            foreach (var set in _pipedSets.Where(s => s.Server == null || !servers.Contains(s.Server)))
            {
                WriteWarning($"No image given is on {set.Server?.Host ?? "the server"} of set '{set.Name}'; it is checked without a pull check.");
                Add(set, () => RegistryAccessTarget.ForSecretSet(set));
            }
        }

        private void Add(object input, Func<RegistryAccessTarget> create)
        {
            try
            {
                _inputs.Add((create(), null, input));
            }
            catch (RegistryException e)
            {
                _inputs.Add((null, e, input));
            }
        }

        private RegistryCredential? CredentialOrNull() =>
            Credential == null || Credential == PSCredential.Empty ? null : RegistryCredential.Given(Credential.UserName, Credential.Password);

        protected override void EndProcessing()
        {
            if (ParameterSetName == SecretSetSet && HasImages) AddSetImages();
            var targets = _inputs.Where(i => i.Target != null).Select(i => i.Target!).ToList();
            var options = new RegistryClientOptions();
            if (Insecure)
            {
                foreach (var server in targets.Where(t => t.Server != null)) options.InsecureHosts.Add(server.Server!.Host);
            }
            using var client = CreateRegistryClient(options);
            var store = OpenCredentialStore();
            var tester = new RegistryAccessTester(client, CredentialResolver.WithAwsEndpoints(Clock, EcrEndpointUrl, StsEndpointUrl), (server, ct) => StoredCredentialsCheck.RunAsync(store, server, ct));
            foreach (var match in targets.Select(t => t.Match).Where(m => m != null && m.Shadowed.Count > 0).GroupBy(m => m!.Server).Select(g => g.First()!))
            {
                WriteWarning($"The secret sets {string.Join(", ", match.Complete.Select(s => s.Name))} all name {match.Server.Host}; {match.Winner!.Name} is the one a codespace's pull uses.");
            }
            foreach (var target in targets) WriteVerbose($"Checking {target.Name}{Describe(target)}.");

            // Checks run concurrently; answers are written in input order, each as soon as it and those before it are done.
            Running(Math.Min(targets.Count, ThrottleLimit));
            var tasks = tester.StartAll(targets, Push, ThrottleLimit, StopToken);
            var progress = new ProgressRecord(1, "Test-RegistryAccess", "Checking registry access");
            var next = 0;
            for (var index = 0; index < _inputs.Count; index++)
            {
                var (target, error, input) = _inputs[index];
                if (target == null)
                {
                    WriteError(error!, input);
                    if (Quiet) WriteObject(false);
                    continue;
                }
                var task = tasks[next++];
                progress.PercentComplete = 100 * index / _inputs.Count;
                progress.StatusDescription = $"{index} of {_inputs.Count} answered; waiting for {target.Name}";
                WriteProgress(progress);
                RegistryAccessReport report;
                try
                {
                    report = task.GetAwaiter().GetResult();
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // One input that cannot be checked is that input's error; the others still report.
                    WriteError(e, input);
                    if (Quiet) WriteObject(false);
                    continue;
                }
                WriteObject(Quiet ? (object)report.Passed : report);
            }
            progress.RecordType = ProgressRecordType.Completed;
            WriteProgress(progress);
            WriteVerbose($"{client.RoundTrips} HTTP round trips.");
        }

        private static string Describe(RegistryAccessTarget target) => target.CredentialSource switch
        {
            AccessCredentialSource.SecretSet => $" with secret set {target.SecretSet!.Name} (user {target.UserName})",
            AccessCredentialSource.Credential => $" as {target.UserName}",
            _ => target.Server != null ? " anonymously" : "",
        };
    }
}
