using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using CodespaceRegistry.Distribution;
using CodespaceRegistry.Ecr;
using CodespaceRegistry.Registries;
using CodespaceRegistry.Secrets;

namespace CodespaceRegistry.Access
{
    /// <summary>
    /// Runs, for each input, the checks the Codespaces docs ask users to do by hand — set complete, server valid,
    /// DNS, TCP, TLS, registry API, sign-in, pull (and push) permission, stored credentials — and reports each with
    /// what to do. Inputs run concurrently up to a throttle; within an input, the stored-credentials check runs
    /// alongside the network chain, and each network check runs only if the one before it passed.
    /// </summary>
    public sealed class RegistryAccessTester
    {
        private readonly RegistryClient _client;
        private readonly CredentialResolver _credentials;
        private readonly Func<RegistryServer, CancellationToken, Task<RegistryAccessCheck>>? _storedCredentials;

        /// <param name="storedCredentials">Checks what a client on this machine would send to the server; null leaves the check out.</param>
        public RegistryAccessTester(RegistryClient client, CredentialResolver? credentials = null,
            Func<RegistryServer, CancellationToken, Task<RegistryAccessCheck>>? storedCredentials = null)
        {
            _client = client ?? throw new ArgumentNullException(nameof(client));
            _credentials = credentials ?? new CredentialResolver();
            _storedCredentials = storedCredentials;
        }

        /// <summary>
        /// Starts every input at once, at most <paramref name="throttleLimit"/> running; the tasks come back in input
        /// order. Inputs with the same <see cref="RegistryAccessTarget.Key"/> share one check (and its report).
        /// </summary>
        public IReadOnlyList<Task<RegistryAccessReport>> StartAll(IEnumerable<RegistryAccessTarget> targets, bool push, int throttleLimit, CancellationToken cancellationToken)
        {
            if (throttleLimit < 1) throw new ArgumentOutOfRangeException(nameof(throttleLimit), "The throttle limit must be at least 1.");
            var list = targets.ToList();
            var gate = new SemaphoreSlim(throttleLimit);
            var started = new Dictionary<string, Task<RegistryAccessReport>>(StringComparer.Ordinal);
            // Images checked with one credential on one registry: one token request for all their repositories.
            var prepared = list.Where(t => t.Image != null && t.Server != null && (t.SecretSet?.EcrMode ?? EcrMode.None) == EcrMode.None)
                .GroupBy(TokenGroup, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => new Lazy<Task>(() => PrepareAsync(g.ToList(), push, cancellationToken)), StringComparer.Ordinal);
            async Task<RegistryAccessReport> Throttled(RegistryAccessTarget target)
            {
                await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    return await TestAsync(target, push, cancellationToken, prepared.TryGetValue(TokenGroup(target), out var group) ? group : null).ConfigureAwait(false);
                }
                finally
                {
                    gate.Release();
                }
            }
            return list.Select(target =>
            {
                if (!started.TryGetValue(target.Key, out var task)) started[target.Key] = task = Throttled(target);
                return task;
            }).ToList();
        }

        private static string TokenGroup(RegistryAccessTarget target) =>
            string.Join("\n", target.Server?.Host ?? "", target.SecretSet?.Name ?? "", target.Credential?.UserName ?? "", target.CredentialSource.ToString());

        /// <summary>Asks one token for every repository a group of checks will pull from (see <see cref="RegistryClient.PrepareAsync"/>).</summary>
        private async Task PrepareAsync(IReadOnlyList<RegistryAccessTarget> group, bool push, CancellationToken cancellationToken)
        {
            var scopes = group.Select(t => "repository:" + t.Image!.Repository + ":pull")
                .Concat(push ? group.Select(t => "repository:" + t.Image!.Repository + ":pull,push") : Enumerable.Empty<string>())
                .Distinct(StringComparer.Ordinal).ToList();
            if (scopes.Count < 2) return;
            RegistryCredential? credential;
            try
            {
                var set = group[0].SecretSet;
                credential = set == null ? group[0].Credential : await _credentials.ResolveAsync(set, cancellationToken).ConfigureAwait(false);
            }
            catch (RegistryException)
            {
                return; // Each check says why there is no credential.
            }
            await _client.PrepareAsync(group[0].Server!, credential, scopes, cancellationToken).ConfigureAwait(false);
        }

        public Task<RegistryAccessReport> TestAsync(RegistryAccessTarget target, bool push, CancellationToken cancellationToken) =>
            TestAsync(target, push, cancellationToken, null);

        private async Task<RegistryAccessReport> TestAsync(RegistryAccessTarget target, bool push, CancellationToken cancellationToken, Lazy<Task>? prepared)
        {
            var checks = new List<RegistryAccessCheck>();
            if (target.Match != null) checks.Add(CredentialsCheck(target.Match));
            if (target.SecretSet != null) checks.Add(SetCheck(target.SecretSet));
            var server = target.Server;
            checks.Add(ServerCheck(target));
            if (server == null) return new RegistryAccessReport(target, checks);

            var stored = _storedCredentials?.Invoke(server, cancellationToken);
            var ecr = target.SecretSet?.EcrMode is EcrMode mode && mode != EcrMode.None && target.SecretSet.IsComplete && target.SecretSet.Password != null
                ? await EcrChecksAsync(target.SecretSet, checks, cancellationToken).ConfigureAwait(false)
                : null;
            await NetworkChecksAsync(target, server, ecr, push, checks, prepared, cancellationToken).ConfigureAwait(false);
            if (stored != null) checks.Add(await stored.ConfigureAwait(false));
            return new RegistryAccessReport(target, checks) { TokenExpiresAt = ecr?.Token?.ExpiresAt, AwsIdentity = ecr?.Identity };
        }

        /// <summary>What the ECR checks found: the token (null when there is none) and, for an access key, whose it is.</summary>
        private sealed class EcrFindings
        {
            public EcrCredential? Token { get; set; }

            public AwsCallerIdentity? Identity { get; set; }
        }

        /// <summary>
        /// Mode 1: whose key it is (STS) — even when the swap then fails, the principal is what the fix names — and the swap.
        /// Mode 2: the token's expiry, read offline. Runs before the registry's network checks: it needs only AWS.
        /// </summary>
        private async Task<EcrFindings> EcrChecksAsync(RegistrySecretSet set, List<RegistryAccessCheck> checks, CancellationToken cancellationToken)
        {
            var found = new EcrFindings();
            if (set.EcrMode == EcrMode.AccessKey)
            {
                try
                {
                    found.Identity = await _credentials.IdentifyAsync(set, cancellationToken).ConfigureAwait(false);
                    var mismatch = EcrCredentialSwap.CheckAccount(set.Server!, found.Identity);
                    checks.Add(mismatch == null
                        ? new RegistryAccessCheck(RegistryAccessCheck.AwsIdentity, CheckStatus.Passed,
                            $"The access key {set.User} belongs to {found.Identity.Arn}{(set.Server!.AccountId != null ? ", in the registry's account " + found.Identity.Account : " (account " + found.Identity.Account + ")")}.")
                        : new RegistryAccessCheck(RegistryAccessCheck.AwsIdentity, CheckStatus.Warning, mismatch.Message, mismatch.Fix, mismatch.Id));
                }
                catch (RegistryException e)
                {
                    checks.Add(RegistryAccessCheck.From(RegistryAccessCheck.AwsIdentity, e));
                }
            }
            try
            {
                found.Token = await _credentials.ResolveEcrAsync(set, cancellationToken).ConfigureAwait(false);
                checks.Add(EcrTokenCheck(set, found.Token));
            }
            catch (RegistryException e)
            {
                checks.Add(RegistryAccessCheck.From(RegistryAccessCheck.EcrToken, e));
            }
            return found;
        }

        private RegistryAccessCheck EcrTokenCheck(RegistrySecretSet set, EcrCredential token)
        {
            var source = token.Source switch
            {
                EcrCredentialSource.Swapped => $"ECR issued a token for the access key {set.User}",
                EcrCredentialSource.Cache => $"A cached ECR token for the access key {set.User} (fetched earlier, still in the first half of its life)",
                _ => "The ECR token in PASSWORD",
            };
            if (token.ExpiresAt is not DateTimeOffset expiresAt)
                return new RegistryAccessCheck(RegistryAccessCheck.EcrToken, CheckStatus.Warning, source + " does not state its expiry.", "Fetch a new token with 'aws ecr get-login-password', or store an access key instead.", "EcrTokenUnreadable");
            var left = expiresAt - _client.Options.TimeProvider.GetUtcNow();
            var detail = $"{source}; it expires at {expiresAt:u} (in {left.TotalHours:0.0} h).";
            return set.EcrMode == EcrMode.Token && left < SecretSetReader.TokenExpiryWarning
                ? new RegistryAccessCheck(RegistryAccessCheck.EcrToken, CheckStatus.Warning, detail, "Store an access key id and secret key instead, so that a fresh token is fetched at every login.", "EcrTokenExpiresSoon")
                : new RegistryAccessCheck(RegistryAccessCheck.EcrToken, CheckStatus.Passed, detail);
        }

        private async Task NetworkChecksAsync(RegistryAccessTarget target, RegistryServer server, EcrFindings? ecr, bool push, List<RegistryAccessCheck> checks, Lazy<Task>? prepared, CancellationToken cancellationToken)
        {
            var remaining = new List<string> { RegistryAccessCheck.Dns, RegistryAccessCheck.Connection, RegistryAccessCheck.Tls, RegistryAccessCheck.RegistryApi, RegistryAccessCheck.Authentication };
            if (target.Image != null) remaining.Add(RegistryAccessCheck.Pull);
            if (push) remaining.Add(RegistryAccessCheck.Push);

            void Add(RegistryAccessCheck check)
            {
                checks.Add(check);
                remaining.Remove(check.Name);
            }
            void SkipRest(string reason)
            {
                foreach (var name in remaining) checks.Add(RegistryAccessCheck.SkippedAfter(name, reason));
            }

            // An ECR set whose swap failed has nothing to sign in with, and every ECR host name resolves: the network says nothing new.
            if (ecr != null && ecr.Token == null) { SkipRest("there is no ECR token to sign in with."); return; }

            var api = RegistryServer.Parse(server.ApiHost);
            RegistryPing ping;
            try
            {
                // The ping is the connection: when it answers, DNS, TCP and TLS worked, and nothing else is probed.
                ping = await _client.PingAsync(server, cancellationToken).ConfigureAwait(false);
            }
            catch (RegistryProtocolException e)
            {
                await DiagnoseFailedPingAsync(server, api, e, Add, cancellationToken).ConfigureAwait(false);
                SkipRest(e.Failure == RegistryFailure.DnsFailure ? "the host name does not resolve." : "the registry API did not answer.");
                return;
            }
            Add(IPAddress.TryParse(api.HostName.Trim('[', ']'), out _)
                ? new RegistryAccessCheck(RegistryAccessCheck.Dns, CheckStatus.Passed, $"{api.HostName} is an address; nothing to resolve.")
                : new RegistryAccessCheck(RegistryAccessCheck.Dns, CheckStatus.Passed, $"{api.HostName} resolves (the registry answered at {ping.BaseUri})."));
            Add(new RegistryAccessCheck(RegistryAccessCheck.Connection, CheckStatus.Passed, $"{api.Host} accepts connections (the registry answered at {ping.BaseUri})."));
            Add(TlsCheck(server, api, ping));
            Add(new RegistryAccessCheck(RegistryAccessCheck.RegistryApi, CheckStatus.Passed,
                $"{ping.BaseUri}v2/ answers {ping.StatusCode}{(ping.ApiVersion != null ? " (" + ping.ApiVersion + ")" : "")}; authentication: {ping.AuthenticationScheme}."));

            RegistryCredential? credential = target.Credential;
            if (ecr != null)
            {
                credential = ecr.Token!.Credential;
            }
            else if (target.SecretSet != null)
            {
                try
                {
                    credential = await _credentials.ResolveAsync(target.SecretSet, cancellationToken).ConfigureAwait(false);
                }
                catch (RegistryException e)
                {
                    Add(RegistryAccessCheck.From(RegistryAccessCheck.Authentication, e));
                    SkipRest("there is no credential to sign in with.");
                    return;
                }
            }

            if (credential == null)
            {
                Add(new RegistryAccessCheck(RegistryAccessCheck.Authentication, CheckStatus.Skipped,
                    !ping.RequiresAuthentication ? $"{server.Host} needs no authentication." :
                    target.Match != null ? $"No secret set names {server.Host}: access is checked anonymously, as a codespace pulls." :
                    "No credentials given: access is checked anonymously."));
            }
            else if (target.Image == null)
            {
                // No image: the sign-in is the check.
                try
                {
                    var auth = await _client.AuthenticateAsync(server, credential, cancellationToken).ConfigureAwait(false);
                    Add(new RegistryAccessCheck(RegistryAccessCheck.Authentication, CheckStatus.Passed,
                        auth.Scheme == "None" ? $"{server.Host} needs no authentication." : $"User '{credential.UserName}' signed in to {server.Host} ({auth.Scheme})."));
                }
                catch (RegistryProtocolException e)
                {
                    Add(RegistryAccessCheck.From(RegistryAccessCheck.Authentication, e));
                    SkipRest("the sign-in failed.");
                    return;
                }
            }

            if (target.Image != null)
            {
                if (prepared != null) await prepared.Value.ConfigureAwait(false);
                var pull = await _client.CheckAccessAsync(target.Image, credential, push: false, cancellationToken).ConfigureAwait(false);
                if (credential != null)
                {
                    // The pull's own requests prove the sign-in: a token issued for its scope, or an answer other than 401.
                    var signedIn = pull.Allowed || pull.Failure is RegistryFailure.InsufficientScope or RegistryFailure.Denied or RegistryFailure.ManifestUnknown or RegistryFailure.RepositoryUnknown;
                    if (!signedIn)
                    {
                        Add(RegistryAccessCheck.From(RegistryAccessCheck.Authentication, pull.Exception!));
                        SkipRest("the sign-in failed.");
                        return;
                    }
                    Add(new RegistryAccessCheck(RegistryAccessCheck.Authentication, CheckStatus.Passed,
                        ping.RequiresAuthentication ? $"User '{credential.UserName}' signed in to {server.Host} ({ping.AuthenticationScheme})." : $"{server.Host} needs no authentication."));
                }
                Add(PermissionCheck(pull, credential));
            }
            if (push)
            {
                Add(target.Image == null
                    ? new RegistryAccessCheck(RegistryAccessCheck.Push, CheckStatus.Skipped, "Not run: push permission is per repository; name an image (-Image).")
                    : PermissionCheck(await _client.CheckAccessAsync(target.Image, credential, push: true, cancellationToken).ConfigureAwait(false), credential));
            }
        }

        private static RegistryAccessCheck TlsCheck(RegistryServer server, RegistryServer api, RegistryPing ping) =>
            ping.IsTls
                ? new RegistryAccessCheck(RegistryAccessCheck.Tls, CheckStatus.Passed, $"The certificate of {api.Host} is trusted and names the host.")
                : ping.FellBackToPlainHttp
                ? new RegistryAccessCheck(RegistryAccessCheck.Tls, CheckStatus.Warning,
                    $"{api.Host} does not speak TLS: SERVER names no scheme, so the client fell back to plain HTTP (allowed for loopback and insecure hosts).",
                    "Serve the registry over TLS, or write http:// in SERVER to make plain HTTP a choice rather than a fallback.")
                : new RegistryAccessCheck(RegistryAccessCheck.Tls, server.IsLoopback ? CheckStatus.Passed : CheckStatus.Warning,
                    $"{api.Host} speaks plain HTTP{(server.IsLoopback ? " on loopback" : "")}.",
                    server.IsLoopback ? null : "Anyone on the network can read what is sent to it, so credentials go to it only when it is marked insecure; serve the registry over TLS.");

        /// <summary>
        /// The ping failed: only now are DNS and TCP probed on their own, to say which step failed; what they pass leaves
        /// the ping's failure to TLS or to the registry API.
        /// </summary>
        private async Task DiagnoseFailedPingAsync(RegistryServer server, RegistryServer api, RegistryProtocolException failure, Action<RegistryAccessCheck> add, CancellationToken cancellationToken)
        {
            var (dns, addresses) = await ResolveAsync(api.HostName, cancellationToken).ConfigureAwait(false);
            add(dns);
            if (dns.Status == CheckStatus.Failed) return;
            var connection = await ConnectAsync(addresses, api.Port ?? (server.Scheme == "http" ? 80 : 443), api, cancellationToken).ConfigureAwait(false);
            add(connection);
            if (connection.Status == CheckStatus.Failed) return;
            var tlsFailed = failure.Failure == RegistryFailure.TlsUntrusted || failure.Failure == RegistryFailure.TlsNameMismatch || failure.Failure == RegistryFailure.TlsHandshakeFailed;
            add(RegistryAccessCheck.From(tlsFailed ? RegistryAccessCheck.Tls : RegistryAccessCheck.RegistryApi, failure));
        }

        private static RegistryAccessCheck PermissionCheck(RegistryAccessResult result, RegistryCredential? credential)
        {
            var name = result.Push ? RegistryAccessCheck.Push : RegistryAccessCheck.Pull;
            if (!result.Allowed) return RegistryAccessCheck.From(name, result.Exception!);
            var who = credential != null ? $"User '{credential.UserName}'" : "Anyone";
            return new RegistryAccessCheck(name, CheckStatus.Passed,
                result.Push ? $"{who} may push to {result.Image.Repository}." : $"{who} may pull {result.Image.FullName}{(result.Digest != null ? " (" + result.Digest + ")" : "")}.");
        }

        private async Task<(RegistryAccessCheck, IPAddress[])> ResolveAsync(string host, CancellationToken cancellationToken)
        {
            if (IPAddress.TryParse(host, out var literal))
                return (new RegistryAccessCheck(RegistryAccessCheck.Dns, CheckStatus.Passed, $"{host} is an address; nothing to resolve."), new[] { literal });
            try
            {
                var addresses = await _client.Options.ResolveHost(host, cancellationToken).WaitAsync(_client.Options.RequestTimeout, _client.Options.TimeProvider, cancellationToken).ConfigureAwait(false);
                return (new RegistryAccessCheck(RegistryAccessCheck.Dns, CheckStatus.Passed, $"{host} resolves to {string.Join(", ", addresses.Select(a => a.ToString()))}."), addresses);
            }
            catch (SocketException e)
            {
                return (new RegistryAccessCheck(RegistryAccessCheck.Dns, CheckStatus.Failed, $"The host name {host} does not resolve ({e.SocketErrorCode}).",
                    "Check SERVER for typos; inside a codespace, check that the registry is reachable from the internet.", "RegistryDnsFailure"), Array.Empty<IPAddress>());
            }
            catch (TimeoutException)
            {
                return (new RegistryAccessCheck(RegistryAccessCheck.Dns, CheckStatus.Failed, $"Resolving {host} took longer than {_client.Options.RequestTimeout.TotalSeconds} s.",
                    "Check this machine's DNS settings.", "RegistryTimeout"), Array.Empty<IPAddress>());
            }
        }

        private async Task<RegistryAccessCheck> ConnectAsync(IPAddress[] addresses, int port, RegistryServer api, CancellationToken cancellationToken)
        {
            SocketError last = SocketError.HostUnreachable;
            foreach (var address in addresses)
            {
                using var tcp = new TcpClient(address.AddressFamily);
                try
                {
                    await tcp.ConnectAsync(address, port).WaitAsync(_client.Options.RequestTimeout, _client.Options.TimeProvider, cancellationToken).ConfigureAwait(false);
                    return new RegistryAccessCheck(RegistryAccessCheck.Connection, CheckStatus.Passed, $"TCP connection to {FormatEndpoint(address, port)} opened.");
                }
                catch (SocketException e)
                {
                    last = e.SocketErrorCode;
                }
                catch (TimeoutException)
                {
                    last = SocketError.TimedOut;
                }
            }
            return last == SocketError.ConnectionRefused
                ? new RegistryAccessCheck(RegistryAccessCheck.Connection, CheckStatus.Failed, $"Nothing accepts connections on {api.HostName} port {port}.",
                    "Check the port in SERVER, and that the registry is running.", "RegistryConnectionRefused")
                : new RegistryAccessCheck(RegistryAccessCheck.Connection, CheckStatus.Failed, $"No TCP connection to {api.HostName} port {port} ({last}).",
                    "Check that no firewall or proxy blocks the registry, and that the port is right.", last == SocketError.TimedOut ? "RegistryTimeout" : "RegistryConnectionFailed");
        }

        private static string FormatEndpoint(IPAddress address, int port) =>
            (address.AddressFamily == AddressFamily.InterNetworkV6 ? "[" + address + "]" : address.ToString()) + ":" + port;

        /// <summary>Which set a codespace logs in to the image's registry with, and why; a warning when several name it.</summary>
        private static RegistryAccessCheck CredentialsCheck(SecretSetMatch match)
        {
            var host = match.Server.Host;
            var winner = match.Winner;
            if (winner == null)
            {
                return match.Incomplete.Count == 0
                    ? new RegistryAccessCheck(RegistryAccessCheck.Credentials, CheckStatus.Passed, $"No secret set names {host}: a codespace pulls anonymously, and so does this check.")
                    : new RegistryAccessCheck(RegistryAccessCheck.Credentials, CheckStatus.Warning,
                        $"The set {Names(match.Incomplete)} names {host} but lacks one of its three secrets, so a codespace does not log in with it: checked anonymously.",
                        $"Add the missing secrets of {Names(match.Incomplete)} (see its Findings), then stop and start the codespace.", "IncompleteSet");
            }
            if (match.Shadowed.Count == 0)
                return new RegistryAccessCheck(RegistryAccessCheck.Credentials, CheckStatus.Passed, $"The secret set {winner.Name} names {host}: a codespace logs in with it.");
            return new RegistryAccessCheck(RegistryAccessCheck.Credentials, CheckStatus.Warning,
                $"The sets {Names(match.Complete)} all name {host}; {winner.Name} wins (logins in name order overwrite one another), so {Names(match.Shadowed)} is not used.",
                $"Keep one set per registry server: remove {Names(match.Shadowed)} or {winner.Name}.", "DuplicateServer");
        }

        private static string Names(IEnumerable<RegistrySecretSet> sets) => string.Join(", ", sets.Select(s => s.Name));

        internal static RegistryAccessCheck SetCheck(RegistrySecretSet set)
        {
            var errors = set.Findings.Where(f => f.Severity == FindingSeverity.Error).ToList();
            var warnings = set.Findings.Where(f => f.Severity == FindingSeverity.Warning).ToList();
            if (errors.Count > 0)
            {
                return new RegistryAccessCheck(RegistryAccessCheck.SecretSet, CheckStatus.Failed,
                    string.Join(" ", errors.Select(f => f.Message)), string.Join(" ", errors.Select(f => f.Fix)), errors[0].Id);
            }
            if (!set.IsComplete)
            {
                return new RegistryAccessCheck(RegistryAccessCheck.SecretSet, CheckStatus.Failed, $"The set '{set.Name}' lacks one of its three secrets.",
                    $"Add {set.Name}{RegistrySecretSet.ServerSuffix}, {set.Name}{RegistrySecretSet.UserSuffix} and {set.Name}{RegistrySecretSet.PasswordSuffix}.", "IncompleteSet");
            }
            if (warnings.Count > 0)
            {
                return new RegistryAccessCheck(RegistryAccessCheck.SecretSet, CheckStatus.Warning,
                    string.Join(" ", warnings.Select(f => f.Message)), string.Join(" ", warnings.Select(f => f.Fix)), warnings[0].Id);
            }
            return new RegistryAccessCheck(RegistryAccessCheck.SecretSet, CheckStatus.Passed, $"All three secrets of '{set.Name}' are present ({set.Level}).");
        }

        private static RegistryAccessCheck ServerCheck(RegistryAccessTarget target)
        {
            var server = target.Server;
            if (server == null)
            {
                RegistryServer.TryParse(target.SecretSet?.ServerValue, out _, out var error);
                return new RegistryAccessCheck(RegistryAccessCheck.Server, CheckStatus.Failed,
                    target.SecretSet?.HasServer == true ? $"SERVER is not a registry server: {error}" : "The set has no SERVER secret.",
                    "Write the registry host in SERVER, such as ghcr.io or myregistry.azurecr.io.", "InvalidRegistryServer");
            }
            var kind = server.Kind == RegistryKind.Other ? "" : $" ({server.Kind})";
            var api = server.ApiHost != server.Host ? $"; its API is at {server.ApiHost}" : "";
            return new RegistryAccessCheck(RegistryAccessCheck.Server, CheckStatus.Passed, $"{server.Host}{kind}{api}; docker keys it '{server.ConfigKey}'.");
        }
    }
}
