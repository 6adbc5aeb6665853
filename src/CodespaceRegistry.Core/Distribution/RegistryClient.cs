using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Net.Security;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using CodespaceRegistry.Registries;

namespace CodespaceRegistry.Distribution
{
    /// <summary>
    /// Speaks the OCI distribution API for one session (a cmdlet invocation): pings <c>/v2/</c>, authenticates with
    /// Basic or Bearer (token exchange), checks pull and push access, and classifies every failure. One HttpClient,
    /// so connections are reused; tokens are cached by (host, scope, user); every HTTP round trip is counted.
    /// Redirects are followed here, never by the handler; every request passes <see cref="SendAsync"/>, which attaches a
    /// credential only under the one rule of <see cref="MayCarryAsync"/>. Each public operation has an overall deadline.
    /// </summary>
    public sealed class RegistryClient : IDisposable
    {
        /// <summary>What a manifest request must accept, or an OCI image answers 404 MANIFEST_UNKNOWN.</summary>
        public static readonly string[] ManifestMediaTypes =
        {
            "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.oci.image.index.v1+json",
            "application/vnd.docker.distribution.manifest.v2+json",
            "application/vnd.docker.distribution.manifest.list.v2+json",
        };

        /// <summary>The OAuth client id sent with token requests.</summary>
        public const string ClientId = "codespace-registry";

        private readonly RegistryClientOptions _options;
        private readonly RegistrySession _session;
        private readonly bool _ownsSession;
        private readonly ConditionalWeakTable<HttpRequestMessage, CertificateProblem> _certificateErrors = new ConditionalWeakTable<HttpRequestMessage, CertificateProblem>();
        private int _roundTrips;

        /// <summary>A client with a session of its own, which it disposes.</summary>
        /// <param name="handler">The transport (see <see cref="RegistrySession(HttpMessageHandler)"/>); it must not follow redirects itself.</param>
        public RegistryClient(RegistryClientOptions? options = null, HttpMessageHandler? handler = null)
            : this(new RegistrySession(handler), options, ownsSession: true)
        {
        }

        /// <summary>
        /// A client for one command that shares <paramref name="session"/> (connections, pings, tokens) with the commands
        /// before and after it; its own <paramref name="options"/> decide what is trusted and allowed.
        /// </summary>
        public RegistryClient(RegistrySession session, RegistryClientOptions? options = null)
            : this(session ?? throw new ArgumentNullException(nameof(session)), options, ownsSession: false)
        {
        }

        private RegistryClient(RegistrySession session, RegistryClientOptions? options, bool ownsSession)
        {
            _session = session;
            _ownsSession = ownsSession;
            _options = options ?? new RegistryClientOptions();
        }

        public RegistryClientOptions Options => _options;

        /// <summary>What decides which connections and answers this client may share with others: whom it trusts, and how.</summary>
        internal string TrustPolicy => string.Join("\n",
            string.Join(",", _options.InsecureHosts.OrderBy(h => h, StringComparer.OrdinalIgnoreCase)),
            string.Join(Path.PathSeparator.ToString(), _options.Trust.Roots),
            _options.ExtraTrustedRoot?.Thumbprint ?? "");

        /// <summary>HTTP round trips made so far (every request, redirects and token exchanges included).</summary>
        public int RoundTrips => Volatile.Read(ref _roundTrips);

        /// <summary>
        /// Pings <c>/v2/</c> without credentials: https first; plain HTTP only when the server says <c>http://</c>, or
        /// when it names no scheme, is loopback or marked insecure, and does not speak TLS (<see cref="RegistryPing.FellBackToPlainHttp"/>
        /// says so). An explicit <c>https://</c> never falls back. Cached for the session once it succeeds.
        /// </summary>
        public Task<RegistryPing> PingAsync(RegistryServer server, CancellationToken cancellationToken = default)
        {
            if (server == null) throw new ArgumentNullException(nameof(server));
            return WithinDeadlineAsync(server.Host, token => PingCoreAsync(server, token), cancellationToken);
        }

        /// <summary>
        /// One ping per host for the client's life, shared by concurrent callers: the first starts it (under its own
        /// deadline, not a caller's cancellation), the others wait for it; a ping that failed is forgotten, so the next
        /// caller tries again.
        /// </summary>
        private async Task<RegistryPing> PingCoreAsync(RegistryServer server, CancellationToken cancellationToken)
        {
            // Whether plain HTTP or a certificate is accepted depends on this client's trust: a ping made under another is not reused.
            var key = server.Host + "\n" + TrustPolicy;
            var shared = _session.Pings.GetOrAdd(key, _ => new Lazy<Task<RegistryPing>>(() => WithinDeadlineAsync(server.Host, token => PingOnceAsync(server, token), CancellationToken.None)));
            try
            {
                return await shared.Value.WaitAsync(Timeout.InfiniteTimeSpan, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception) when (shared.Value.IsFaulted || shared.Value.IsCanceled)
            {
                RegistrySession.Forget(_session.Pings, key, shared);
                throw;
            }
        }

        private async Task<RegistryPing> PingOnceAsync(RegistryServer server, CancellationToken cancellationToken)
        {
            var plain = server.Scheme == "http";
            while (true)
            {
                var baseUri = new Uri((plain ? "http" : "https") + "://" + server.ApiHost + "/");
                try
                {
                    using var response = await SendAsync(HttpMethod.Get, new Uri(baseUri, "v2/"), null, null, cancellationToken).ConfigureAwait(false);
                    return await ReadPingAsync(server, baseUri, fellBack: plain && server.Scheme == null, response, cancellationToken).ConfigureAwait(false);
                }
                catch (RegistryProtocolException e) when (e.Failure == RegistryFailure.TlsHandshakeFailed && !plain && server.Scheme == null)
                {
                    // No scheme written and no TLS on the port: plain HTTP only for a loopback or insecure host, reported as a fallback.
                    if (!await PlainHttpAllowedAsync(new Uri("http://" + server.ApiHost + "/"), cancellationToken).ConfigureAwait(false)) throw;
                    plain = true;
                }
            }
        }

        /// <summary>
        /// What a login verifies: the credentials open <c>/v2/</c> (Basic directly, Bearer through the token server).
        /// Always asks the registry, never a cached token. Null credentials check anonymous access.
        /// </summary>
        /// <exception cref="RegistryProtocolException">Classified: RegistryLoginUnauthorized, RegistryTlsUntrusted, ...</exception>
        public Task<RegistryAuthentication> AuthenticateAsync(RegistryServer server, RegistryCredential? credential, CancellationToken cancellationToken = default)
        {
            if (server == null) throw new ArgumentNullException(nameof(server));
            return WithinDeadlineAsync(server.Host, token => AuthenticateCoreAsync(server, credential, token), cancellationToken);
        }

        private async Task<RegistryAuthentication> AuthenticateCoreAsync(RegistryServer server, RegistryCredential? credential, CancellationToken cancellationToken)
        {
            var ping = await PingCoreAsync(server, cancellationToken).ConfigureAwait(false);
            if (!ping.RequiresAuthentication) return new RegistryAuthentication(ping, null);

            var token = await AuthorizeAsync(ping, credential, null, fresh: true, cancellationToken).ConfigureAwait(false);
            using var response = await SendAsync(HttpMethod.Get, new Uri(ping.BaseUri, "v2/"), token, null, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
                throw await FailureOfAsync(response, ping, credential, "sign in to", cancellationToken).ConfigureAwait(false);
            return new RegistryAuthentication(ping, token?.RefreshToken);
        }

        /// <summary>
        /// Checks that <paramref name="credential"/> (or anonymous access) may pull <paramref name="image"/> —
        /// <c>HEAD</c> of its manifest — or, with <paramref name="push"/>, push to its repository (an upload is started
        /// and cancelled; nothing is written). Failures come back classified; only cancellation throws.
        /// </summary>
        public async Task<RegistryAccessResult> CheckAccessAsync(ImageReference image, RegistryCredential? credential, bool push, CancellationToken cancellationToken = default)
        {
            if (image == null) throw new ArgumentNullException(nameof(image));
            try
            {
                return await WithinDeadlineAsync(image.Registry.Host, token => CheckAccessCoreAsync(image, credential, push, token), cancellationToken).ConfigureAwait(false);
            }
            catch (RegistryProtocolException e)
            {
                return new RegistryAccessResult(image, push, null, e);
            }
        }

        private async Task<RegistryAccessResult> CheckAccessCoreAsync(ImageReference image, RegistryCredential? credential, bool push, CancellationToken cancellationToken)
        {
            var ping = await PingCoreAsync(image.Registry, cancellationToken).ConfigureAwait(false);
            var scope = "repository:" + image.Repository + (push ? ":pull,push" : ":pull");
            var token = await AuthorizeAsync(ping, credential, scope, fresh: false, cancellationToken).ConfigureAwait(false);
            var retried = false;

            // A cached Bearer token the registry no longer takes (revoked, or expired early) is forgotten and asked for once more.
            async Task<HttpResponseMessage> SendWithTokenAsync(HttpMethod method, Uri uri, string[]? accept)
            {
                var response = await SendAsync(method, uri, token, accept, cancellationToken).ConfigureAwait(false);
                if (retried || token == null || ping.BearerChallenge == null || response.StatusCode != HttpStatusCode.Unauthorized || IsInsufficientScope(response)) return response;
                response.Dispose();
                retried = true;
                Forget(ping, credential, scope, token);
                token = await AuthorizeAsync(ping, credential, scope, fresh: true, cancellationToken).ConfigureAwait(false);
                return await SendAsync(method, uri, token, accept, cancellationToken).ConfigureAwait(false);
            }

            var repository = new Uri(ping.BaseUri, "v2/" + image.Repository + "/");
            if (push)
            {
                using var upload = await SendWithTokenAsync(HttpMethod.Post, new Uri(repository, "blobs/uploads/"), null).ConfigureAwait(false);
                if (upload.StatusCode != HttpStatusCode.Accepted)
                    throw await FailureOfAsync(upload, ping, credential, "push to " + image.Repository + " on", cancellationToken, scoped: true).ConfigureAwait(false);
                // The upload is cancelled where the registry itself serves it. One that lives elsewhere (another host,
                // port or scheme) is left to expire: nothing, with or without credentials, goes where the answer points.
                var location = upload.Headers.Location == null ? null : new Uri(repository, upload.Headers.Location);
                var elsewhere = location != null && (location.Scheme == Uri.UriSchemeHttp || location.Scheme == Uri.UriSchemeHttps) &&
                    Uri.Compare(location, repository, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) != 0;
                if (location != null && !elsewhere)
                {
                    using var cancel = await SendAsync(HttpMethod.Delete, location, token, null, cancellationToken).ConfigureAwait(false);
                }
                return new RegistryAccessResult(image, true, null, null);
            }

            var manifest = new Uri(repository, "manifests/" + image.ManifestReference);
            using var head = await SendWithTokenAsync(HttpMethod.Head, manifest, ManifestMediaTypes).ConfigureAwait(false);
            if (head.StatusCode == HttpStatusCode.OK)
            {
                var digest = head.Headers.TryGetValues("Docker-Content-Digest", out var values) ? values.FirstOrDefault() : null;
                return new RegistryAccessResult(image, false, digest, null);
            }
            if (head.StatusCode != HttpStatusCode.NotFound)
                throw await FailureOfAsync(head, ping, credential, "pull " + image.Repository + " from", cancellationToken, scoped: true).ConfigureAwait(false);
            // HEAD carries no error document: ask once more with GET to tell an unknown manifest from an unknown repository.
            using var get = await SendAsync(HttpMethod.Get, manifest, token, ManifestMediaTypes, cancellationToken).ConfigureAwait(false);
            var failure = await FailureOfAsync(get, ping, credential, "pull " + image.FullName + " from", cancellationToken, scoped: true).ConfigureAwait(false);
            if (failure.Failure != RegistryFailure.ManifestUnknown) throw failure;
            // Some registries (CNCF Distribution) say MANIFEST_UNKNOWN for a repository that does not exist; its tag list tells.
            using var tags = await SendAsync(HttpMethod.Get, new Uri(repository, "tags/list"), token, null, cancellationToken).ConfigureAwait(false);
            if (tags.StatusCode != HttpStatusCode.NotFound) throw failure;
            throw await FailureOfAsync(tags, ping, credential, "pull " + image.FullName + " from", cancellationToken, scoped: true).ConfigureAwait(false);
        }

        private static bool IsInsufficientScope(HttpResponseMessage response) =>
            string.Equals(AuthenticationChallenge.Parse(response.Headers.TryGetValues("WWW-Authenticate", out var values) ? values : Enumerable.Empty<string>()).FirstOrDefault()?.Error,
                "insufficient_scope", StringComparison.OrdinalIgnoreCase);

        /// <summary>
        /// Runs one operation under the overall deadline (<see cref="RegistryClientOptions.OperationTimeout"/>), so that
        /// slow redirects or token exchanges cannot add up without bound; the deadline is a classified timeout.
        /// </summary>
        private async Task<T> WithinDeadlineAsync<T>(string host, Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
        {
            using var deadline = new Deadline(_options.TimeProvider.CreateCancellationTokenSource(_options.OperationTimeout), cancellationToken);
            try
            {
                return await operation(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw new RegistryProtocolException(RegistryFailure.Timeout,
                    $"{host} did not finish within {_options.OperationTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s (redirects and token exchanges included).",
                    "Check that the host and port are right and that no proxy or load balancer stalls or loops the requests.", null, e);
            }
        }

        /// <summary>
        /// The one rule for credentials, whatever built the URI (a redirect, an upload's <c>Location</c>, a realm): they go
        /// only to the scheme, host and port they were issued for — a request elsewhere goes without them — and over plain
        /// HTTP only to a loopback address or a host marked insecure; otherwise the request is refused before it is sent.
        /// </summary>
        private async Task<bool> MayCarryAsync(Uri target, Uri origin, CancellationToken cancellationToken)
        {
            if (Uri.Compare(target, origin, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) != 0) return false;
            if (target.Scheme == Uri.UriSchemeHttp && !await PlainHttpAllowedAsync(target, cancellationToken).ConfigureAwait(false))
            {
                throw new RegistryProtocolException(RegistryFailure.InsecureRefused,
                    $"Credentials for {target.Authority} would travel over plain HTTP and were not sent: the host is neither a loopback address nor marked insecure.",
                    "Use https, or mark the registry insecure (-Insecure) if you accept that anyone on the network can read them.");
            }
            return true;
        }

        /// <summary>Plain HTTP is allowed for hosts marked insecure and for hosts whose literal or resolved addresses are all loopback.</summary>
        private async Task<bool> PlainHttpAllowedAsync(Uri uri, CancellationToken cancellationToken)
        {
            if (IsMarkedInsecure(uri)) return true;
            var host = uri.HostNameType == UriHostNameType.IPv6 ? uri.Host.Trim('[', ']') : uri.Host;
            if (IPAddress.TryParse(host, out var literal)) return IPAddress.IsLoopback(literal);
            if (_session.Loopback.TryGetValue(host, out var known)) return known;
            IPAddress[] addresses;
            try
            {
                addresses = await _options.ResolveHost(host, cancellationToken).ConfigureAwait(false);
            }
            catch (SocketException)
            {
                addresses = Array.Empty<IPAddress>();
            }
            var loopback = addresses.Length > 0 && addresses.All(IPAddress.IsLoopback);
            _session.Loopback[host] = loopback;
            return loopback;
        }

        private async Task<CachedToken?> AuthorizeAsync(RegistryPing ping, RegistryCredential? credential, string? scope, bool fresh, CancellationToken cancellationToken)
        {
            if (!ping.RequiresAuthentication) return null;
            var bearer = ping.BearerChallenge;
            if (bearer != null) return await BearerTokenAsync(ping, bearer, credential, scope == null ? Array.Empty<string>() : new[] { scope }, fresh, cancellationToken).ConfigureAwait(false);
            if (ping.BasicChallenge == null)
            {
                throw new RegistryProtocolException(RegistryFailure.NotARegistry,
                    $"{ping.BaseUri} answers 401 without a Basic or Bearer challenge, so no registry client can sign in.", "Check that SERVER names the registry itself.", 401);
            }
            if (credential == null) return null;
            return new CachedToken(BasicHeader(credential), ping.BaseUri, DateTimeOffset.MaxValue, null);
        }

        private static AuthenticationHeaderValue BasicHeader(RegistryCredential credential) =>
            new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credential.UserName + ":" + SecureStrings.Reveal(credential.Password))));

        /// <summary>
        /// A token for <paramref name="scopes"/> (none: an unscoped token, as a sign-in asks), from the cache while fresh
        /// unless <paramref name="fresh"/>; a new one is cached under each of its scopes, for this credential only.
        /// </summary>
        private async Task<CachedToken> BearerTokenAsync(RegistryPing ping, AuthenticationChallenge challenge, RegistryCredential? credential, IReadOnlyList<string> scopes, bool fresh, CancellationToken cancellationToken)
        {
            var fingerprint = _session.Fingerprints.Of(credential);
            var keys = (scopes.Count == 0 ? new[] { "" } : scopes).Select(scope => (ping.Server.Host, scope, fingerprint)).ToList();
            var now = _options.TimeProvider.GetUtcNow();
            if (fresh || keys.Count != 1) return await FetchTokenAsync(ping, challenge, credential, scopes, keys, now, cancellationToken).ConfigureAwait(false);
            if (_session.Tokens.TryGetValue(keys[0], out var cached) && cached.FreshUntil > now) return cached;

            // Concurrent checks of one scope with one credential wait for the same token request.
            // (A request that finished between the look-up above and here has cached its token: look again before asking.)
            var pending = _session.PendingTokens.GetOrAdd(keys[0], _ => new Lazy<Task<CachedToken>>(() =>
                _session.Tokens.TryGetValue(keys[0], out var done) && done.FreshUntil > now ? Task.FromResult(done) : FetchTokenAsync(ping, challenge, credential, scopes, keys, now, cancellationToken)));
            try
            {
                return await pending.Value.WaitAsync(Timeout.InfiniteTimeSpan, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                RegistrySession.Forget(_session.PendingTokens, keys[0], pending);
            }
        }

        private async Task<CachedToken> FetchTokenAsync(RegistryPing ping, AuthenticationChallenge challenge, RegistryCredential? credential, IReadOnlyList<string> scopes,
            IReadOnlyList<(string, string, string)> keys, DateTimeOffset now, CancellationToken cancellationToken)
        {
            var realm = RealmOf(challenge, ping);
            var identityToken = credential?.UserName == DockerConfig.CredentialStore.IdentityTokenUserName;
            using var response = identityToken
                ? await SendAsync(HttpMethod.Post, realm, new BoundCredential(null, realm), null, cancellationToken, RefreshForm(challenge, scopes, credential!)).ConfigureAwait(false)
                : await SendAsync(HttpMethod.Get, TokenUri(realm, challenge, scopes, credential), credential != null ? new BoundCredential(BasicHeader(credential), realm) : null, null, cancellationToken).ConfigureAwait(false);
            var refused = response.StatusCode == HttpStatusCode.Unauthorized || response.StatusCode == HttpStatusCode.Forbidden ||
                (identityToken && response.StatusCode == HttpStatusCode.BadRequest);
            if (refused)
            {
                var what = credential == null ? "anonymous access." : identityToken ? "the stored identity token." : $"user '{credential.UserName}' and its password.";
                var fix = credential == null ? "Give a user and password."
                    : identityToken ? "Log in again: identity tokens expire and can be revoked."
                    : credential.RefusalRemediation(ping.Server.Host);
                throw new RegistryProtocolException(RegistryFailure.Unauthorized,
                    $"The token server of {ping.Server.Host} ({realm.GetLeftPart(UriPartial.Path)}) rejected {what}", fix, (int)response.StatusCode);
            }
            if (response.StatusCode != HttpStatusCode.OK)
                throw await FailureOfAsync(response, ping, credential, "get a token for", cancellationToken).ConfigureAwait(false);

            var body = await ReadBodyAsync(response, cancellationToken).ConfigureAwait(false);
            var token = ParseToken(body, ping, now);
            foreach (var key in keys) _session.Tokens[key] = token;
            return token;
        }

        /// <summary>Forgets a token the registry refused (revoked, or expired early), so that the next request asks afresh.</summary>
        private void Forget(RegistryPing ping, RegistryCredential? credential, string scope, CachedToken token) =>
            RegistrySession.Forget(_session.Tokens, (ping.Server.Host, scope, _session.Fingerprints.Of(credential)), token);

        /// <summary>The most scopes one token request names, so that its URL stays well within what servers accept.</summary>
        private const int MaxScopesPerToken = 100;

        /// <summary>
        /// Before checking many repositories of one registry with one credential: one token request for every scope that
        /// has no fresh token yet, so each check finds its token cached (a set checked against 100 images costs one token
        /// request, not 100). Basic and anonymous registries need nothing. Failures are left to the checks, which classify them.
        /// </summary>
        public async Task PrepareAsync(RegistryServer server, RegistryCredential? credential, IEnumerable<string> scopes, CancellationToken cancellationToken = default)
        {
            if (server == null) throw new ArgumentNullException(nameof(server));
            try
            {
                await WithinDeadlineAsync(server.Host, async token =>
                {
                    var ping = await PingCoreAsync(server, token).ConfigureAwait(false);
                    if (!ping.RequiresAuthentication || ping.BearerChallenge == null) return true;
                    var fingerprint = _session.Fingerprints.Of(credential);
                    var now = _options.TimeProvider.GetUtcNow();
                    var missing = scopes.Distinct(StringComparer.Ordinal)
                        .Where(scope => !(_session.Tokens.TryGetValue((server.Host, scope, fingerprint), out var cached) && cached.FreshUntil > now)).ToList();
                    for (var i = 0; missing.Count > 1 && i < missing.Count; i += MaxScopesPerToken)
                    {
                        await BearerTokenAsync(ping, ping.BearerChallenge, credential, missing.Skip(i).Take(MaxScopesPerToken).ToList(), fresh: true, token).ConfigureAwait(false);
                    }
                    return true;
                }, cancellationToken).ConfigureAwait(false);
            }
            catch (RegistryProtocolException)
            {
                // Each check asks again for its own scope and reports what went wrong, where it belongs.
            }
        }

        /// <summary>
        /// The token request of the Docker token spec: <c>GET realm?service=&amp;scope=&amp;account=</c> with Basic credentials.
        /// No identity token is asked for (<c>offline_token</c>): a login stores the password, which every client reads.
        /// </summary>
        private static Uri TokenUri(Uri realm, AuthenticationChallenge challenge, IReadOnlyList<string> scopes, RegistryCredential? credential)
        {
            var query = new List<string>();
            if (challenge.Service != null) query.Add("service=" + Uri.EscapeDataString(challenge.Service));
            foreach (var scope in scopes) query.Add("scope=" + Uri.EscapeDataString(scope));
            if (credential != null) query.Add("account=" + Uri.EscapeDataString(credential.UserName));
            var builder = new UriBuilder(realm);
            var existing = builder.Query.TrimStart('?');
            builder.Query = string.Join("&", (existing.Length > 0 ? new[] { existing } : new string[0]).Concat(query));
            return builder.Uri;
        }

        /// <summary>The OAuth2 token request of a stored identity token (docker's <c>identitytoken</c>): a form POST to the realm.</summary>
        private static List<KeyValuePair<string, string>> RefreshForm(AuthenticationChallenge challenge, IReadOnlyList<string> scopes, RegistryCredential credential)
        {
            var form = new List<KeyValuePair<string, string>>
            {
                new KeyValuePair<string, string>("grant_type", "refresh_token"),
                new KeyValuePair<string, string>("refresh_token", SecureStrings.Reveal(credential.Password)),
                new KeyValuePair<string, string>("client_id", ClientId),
            };
            if (challenge.Service != null) form.Add(new KeyValuePair<string, string>("service", challenge.Service));
            if (scopes.Count > 0) form.Add(new KeyValuePair<string, string>("scope", string.Join(" ", scopes)));
            return form;
        }

        private static Uri RealmOf(AuthenticationChallenge challenge, RegistryPing ping)
        {
            if (!Uri.TryCreate(challenge.Realm, UriKind.Absolute, out var realm) || (realm.Scheme != Uri.UriSchemeHttps && realm.Scheme != Uri.UriSchemeHttp))
            {
                throw new RegistryProtocolException(RegistryFailure.NotARegistry,
                    $"{ping.Server.Host} names a token realm that is not an http(s) URL ('{challenge.Realm}').", "Check that SERVER names the registry itself.", 401);
            }
            if (realm.Scheme == Uri.UriSchemeHttp && !string.Equals(realm.Host, ping.BaseUri.Host, StringComparison.OrdinalIgnoreCase))
            {
                throw new RegistryProtocolException(RegistryFailure.RealmRefused,
                    $"{ping.Server.Host} sends clients to a token server over plain HTTP on another host ({realm.GetLeftPart(UriPartial.Authority)}); no credentials were sent.", "The registry's token realm must use https.", 401);
            }
            return realm;
        }

        private CachedToken ParseToken(byte[] body, RegistryPing ping, DateTimeOffset now)
        {
            try
            {
                using var doc = JsonDocument.Parse(body);
                var root = doc.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                {
                    throw new RegistryProtocolException(RegistryFailure.NotARegistry,
                        $"The token server of {ping.Server.Host} answered with JSON {root.ValueKind.ToString().ToLowerInvariant()}, not the token object the token spec defines.", "The registry's token server is misconfigured; report it to its operator.", 200);
                }
                string? Text(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString()!.Length > 0 ? v.GetString() : null;
                var value = Text("token") ?? Text("access_token")
                    ?? throw new RegistryProtocolException(RegistryFailure.NotARegistry, $"The token server of {ping.Server.Host} answered without a token or access_token.", "The registry's token server is misconfigured; report it to its operator.", 200);
                if (value.Any(c => c <= ' ' || c > '~'))
                {
                    // Never quote the token: it is a secret, and a line break in it would split the header.
                    throw new RegistryProtocolException(RegistryFailure.NotARegistry,
                        $"The token server of {ping.Server.Host} answered with a token that holds spaces, line breaks or characters outside ASCII, which no Authorization header may carry.", "The registry's token server is misconfigured; report it to its operator.", 200);
                }
                // The spec's default lifetime is 60 s; a token counts as fresh for a little less, so it never expires in flight.
                var lifetime = root.TryGetProperty("expires_in", out var e) && e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var seconds) && seconds > 0 ? seconds : 60;
                var freshUntil = now + TimeSpan.FromSeconds(Math.Max(1, lifetime - 10));
                var refresh = Text("refresh_token");
                return new CachedToken(new AuthenticationHeaderValue("Bearer", value), ping.BaseUri, freshUntil, refresh != null ? SecureStrings.ToSecureString(refresh) : null);
            }
            catch (JsonException ex)
            {
                throw new RegistryProtocolException(RegistryFailure.NotARegistry, $"The token server of {ping.Server.Host} answered with something that is not JSON.", "The registry's token server is misconfigured; report it to its operator.", 200, ex);
            }
        }

        private async Task<RegistryPing> ReadPingAsync(RegistryServer server, Uri baseUri, bool fellBack, HttpResponseMessage response, CancellationToken cancellationToken)
        {
            var status = (int)response.StatusCode;
            var apiVersion = response.Headers.TryGetValues("Docker-Distribution-API-Version", out var versions) ? versions.FirstOrDefault() : null;
            if (status == 200 || status == 401)
            {
                var challenges = AuthenticationChallenge.Parse(response.Headers.TryGetValues("WWW-Authenticate", out var values) ? values : Enumerable.Empty<string>());
                return new RegistryPing(server, baseUri, status, challenges, apiVersion, fellBack);
            }
            var ping = new RegistryPing(server, baseUri, status, Array.Empty<AuthenticationChallenge>(), apiVersion, fellBack);
            throw await FailureOfAsync(response, ping, null, "reach", cancellationToken).ConfigureAwait(false);
        }

        /// <summary>Classifies an answer that is not the expected success.</summary>
        private async Task<RegistryProtocolException> FailureOfAsync(HttpResponseMessage response, RegistryPing ping, RegistryCredential? credential, string action, CancellationToken cancellationToken, bool scoped = false)
        {
            var status = (int)response.StatusCode;
            var host = ping.Server.Host;
            var who = credential != null ? $"user '{credential.UserName}'" : "anonymous access";
            string? code = null;
            if (status >= 400 && status != 429 && status < 500 && response.RequestMessage?.Method != HttpMethod.Head)
                code = ErrorCodeOf(await ReadBodyAsync(response, cancellationToken).ConfigureAwait(false));

            if (status == 401)
            {
                var challenge = AuthenticationChallenge.Parse(response.Headers.TryGetValues("WWW-Authenticate", out var values) ? values : Enumerable.Empty<string>()).FirstOrDefault();
                var error = challenge?.Error;
                // A Bearer registry whose token server accepted the credentials, then refused the resource: the scope is missing,
                // whether or not it says so in error=.
                var scopeMissing = string.Equals(error, "insufficient_scope", StringComparison.OrdinalIgnoreCase) ||
                    (scoped && credential != null && ping.BearerChallenge != null && !string.Equals(error, "invalid_token", StringComparison.OrdinalIgnoreCase));
                if (scopeMissing)
                {
                    return new RegistryProtocolException(RegistryFailure.InsufficientScope,
                        $"{who} may not {action} {host}: the registry granted no such scope ({challenge?.Scope ?? "the repository"}).", "Grant the user that permission on the repository, or use a user that has it.", status);
                }
                if (credential == null)
                    return new RegistryProtocolException(RegistryFailure.Unauthorized, $"{host} requires credentials to {action} it.", "Give the set's user and password.", status);
                return new RegistryProtocolException(RegistryFailure.Unauthorized,
                    $"{host} rejected {who} and its password{(error != null ? " (" + error + ")" : "")}.",
                    credential.RefusalRemediation(host), status);
            }
            if (status == 403)
                return new RegistryProtocolException(RegistryFailure.Denied, $"{host} denied {who} the right to {action} it (403{(code != null ? " " + code : "")}).", "Grant the permission on the registry, or use a user that has it.", status);
            if (status == 404 && code == "NAME_UNKNOWN")
                return new RegistryProtocolException(RegistryFailure.RepositoryUnknown, $"{host} has no repository by that name ({code}).", $"Check the image reference, or whether {who} may see it.", status);
            if (status == 404 && code == "MANIFEST_UNKNOWN")
                return new RegistryProtocolException(RegistryFailure.ManifestUnknown, $"{host} has the repository but no such tag or digest ({code}).", "Check the tag.", status);
            if (status == 429)
                return new RegistryProtocolException(RegistryFailure.RateLimited, $"{host} is rate-limiting this client (429){RetryAfter(response)}.", "Wait, or sign in: registries give signed-in users higher limits.", status);
            if (status >= 500)
                return new RegistryProtocolException(RegistryFailure.ServerError, $"{host} failed with {status} {response.ReasonPhrase}.", "The registry has a problem; try again later.", status);
            if (response.RequestMessage?.RequestUri?.AbsolutePath == "/v2/" || status == 404)
                return new RegistryProtocolException(RegistryFailure.NotARegistry, $"{ping.BaseUri} answers {status} on /v2/ (or the repository path), which no registry does.", "Check that SERVER names the registry's host.", status);
            return new RegistryProtocolException(RegistryFailure.Unexpected, $"{host} answered {status} {response.ReasonPhrase}{(code != null ? " (" + code + ")" : "")} when asked to {action} it.", "Check the registry's status and documentation.", status);
        }

        private static string RetryAfter(HttpResponseMessage response)
        {
            var retry = response.Headers.RetryAfter;
            if (retry?.Delta is TimeSpan delta) return $", retry after {delta.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s";
            return retry?.Date is DateTimeOffset date ? $", retry after {date:u}" : "";
        }

        private static string? ErrorCodeOf(byte[] body)
        {
            try
            {
                using var doc = JsonDocument.Parse(body);
                if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("errors", out var errors) &&
                    errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0 &&
                    errors[0].ValueKind == JsonValueKind.Object && errors[0].TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String)
                {
                    return code.GetString();
                }
            }
            catch (JsonException)
            {
                // Not an error document: only the status speaks.
            }
            return null;
        }

        /// <summary>
        /// Sends a request, following redirects. Every request of this client passes here; <paramref name="credential"/>
        /// (a header, or the form that carries a refresh token) is attached only as <see cref="MayCarryAsync"/> allows.
        /// </summary>
        private async Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri uri, BoundCredential? credential, string[]? accept, CancellationToken cancellationToken,
            IEnumerable<KeyValuePair<string, string>>? form = null)
        {
            var origin = uri;
            for (var hop = 0; ; hop++)
            {
                if (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
                {
                    throw new RegistryProtocolException(RegistryFailure.Unexpected,
                        $"{origin.Authority} sent the client to a URL that is not http or https ({uri.Scheme}:), which no registry does.", "Check the registry's proxy or load balancer configuration.");
                }
                using var request = new HttpRequestMessage(method, uri);
                var carry = credential != null && await MayCarryAsync(uri, credential.Origin, cancellationToken).ConfigureAwait(false);
                if (carry) request.Headers.Authorization = credential!.Header;
                foreach (var type in accept ?? Array.Empty<string>()) request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
                if (form != null) request.Content = new FormUrlEncodedContent(form);
                var response = await SendOnceAsync(request, cancellationToken).ConfigureAwait(false);
                var status = (int)response.StatusCode;
                var redirect = (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) && response.Headers.Location != null;
                if (!redirect || method == HttpMethod.Post || method == HttpMethod.Delete) return response;
                if (hop >= _options.MaxRedirects)
                {
                    response.Dispose();
                    throw new RegistryProtocolException(RegistryFailure.Unexpected, $"{origin.Authority} redirected more than {_options.MaxRedirects} times.", "Check the registry's proxy or load balancer configuration.", status);
                }
                uri = new Uri(uri, response.Headers.Location!);
                response.Dispose();
            }
        }

        private async Task<HttpResponseMessage> SendOnceAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (HostResolution.IsReservedInvalid(request.RequestUri!.Host))
            {
                throw Classify(request, new HttpRequestException("The name is under the reserved .invalid domain.", new SocketException((int)SocketError.HostNotFound)));
            }
            Interlocked.Increment(ref _roundTrips);
            using var timeout = StartDeadline(cancellationToken);
            try
            {
                request.Headers.UserAgent.ParseAdd(_options.UserAgent);
                _session.Sending(request, this);
                return await _session.HttpFor(TrustPolicy).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw TimedOut(request.RequestUri!, null);
            }
            catch (HttpRequestException ex) when (!cancellationToken.IsCancellationRequested)
            {
                throw Classify(request, ex);
            }
        }

        /// <summary>The user's cancellation joined with the per-round-trip timeout, measured on the injected clock.</summary>
        private Deadline StartDeadline(CancellationToken cancellationToken) => new Deadline(_options.TimeProvider.CreateCancellationTokenSource(_options.RequestTimeout), cancellationToken);

        private sealed class Deadline : IDisposable
        {
            private readonly CancellationTokenSource _timeout;
            private readonly CancellationTokenSource _linked;

            public Deadline(CancellationTokenSource timeout, CancellationToken cancellationToken)
            {
                _timeout = timeout;
                _linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            }

            public CancellationToken Token => _linked.Token;

            public void Dispose()
            {
                _linked.Dispose();
                _timeout.Dispose();
            }
        }

        private RegistryProtocolException TimedOut(Uri uri, Exception? inner) =>
            new RegistryProtocolException(RegistryFailure.Timeout,
                $"{uri.Authority} did not answer within {_options.RequestTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s.",
                "Check that the host and port are right and that no firewall or proxy drops the connection.", null, inner);

        private RegistryProtocolException Classify(HttpRequestMessage request, HttpRequestException ex)
        {
            var uri = request.RequestUri!;
            var authority = uri.Authority;
            for (Exception? e = ex; e != null; e = e.InnerException)
            {
                if (e is SocketException socket)
                {
                    switch (socket.SocketErrorCode)
                    {
                        case SocketError.HostNotFound:
                        case SocketError.NoData:
                        case SocketError.TryAgain:
                            return new RegistryProtocolException(RegistryFailure.DnsFailure, $"The host name {uri.Host} does not resolve.", "Check SERVER for typos (and this machine's DNS).", null, ex);
                        case SocketError.ConnectionRefused:
                            return new RegistryProtocolException(RegistryFailure.ConnectionRefused, $"Nothing accepts connections on {authority}.", "Check the port, and that the registry is running.", null, ex);
                        case SocketError.TimedOut:
                            return TimedOut(uri, ex);
                    }
                }
            }
            var tls = uri.Scheme == Uri.UriSchemeHttps;
            if (tls && _certificateErrors.TryGetValue(request, out var problem))
            {
                if ((problem.Errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
                {
                    var names = problem.Names;
                    return new RegistryProtocolException(RegistryFailure.TlsNameMismatch,
                        $"The certificate of {authority} is for {CertificateNames.Describe(names)}, not for {uri.Host}, the host asked for.",
                        names.Count > 0
                            ? $"Name the registry in SERVER by a name its certificate is for ({names[0]}{(uri.IsDefaultPort ? "" : ":" + uri.Port)}), or have its certificate issued for {uri.Host}."
                            : $"Have the registry's certificate issued for {uri.Host}.", null, ex);
                }
                return new RegistryProtocolException(RegistryFailure.TlsUntrusted,
                    $"The certificate of {authority} does not chain to a trusted root.", _options.Trust.Remediation(uri), null, ex);
            }
            if (tls && (HasInner<AuthenticationException>(ex) || HasInner<IOException>(ex)))
            {
                return new RegistryProtocolException(RegistryFailure.TlsHandshakeFailed,
                    $"{authority} did not complete a TLS handshake; it may serve plain HTTP.", "If it does, and you accept that, mark it insecure or write http:// in SERVER.", null, ex);
            }
            return new RegistryProtocolException(RegistryFailure.Unexpected, $"The connection to {authority} failed: {ex.Message}", "Check the network path to the registry.", null, ex);
        }

        private static bool HasInner<T>(Exception ex) where T : Exception
        {
            for (var e = ex.InnerException; e != null; e = e.InnerException)
            {
                if (e is T) return true;
            }
            return false;
        }

        private bool IsMarkedInsecure(Uri uri) =>
            _options.InsecureHosts.Count > 0 && (_options.InsecureHosts.Contains(uri.Authority) || (uri.IsDefaultPort && _options.InsecureHosts.Contains(uri.Host)));

        internal bool ValidateCertificate(HttpRequestMessage request, X509Certificate2? certificate, X509Chain? chain, SslPolicyErrors errors)
        {
            if (errors == SslPolicyErrors.None) return true;
            var uri = request.RequestUri!;
            if (IsMarkedInsecure(uri)) return true;
            if (errors == SslPolicyErrors.RemoteCertificateChainErrors && certificate != null && ChainsToTrustedRoot(certificate, uri)) return true;
            var names = (errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0 && certificate != null ? CertificateNames.Of(certificate) : Array.Empty<string>();
            var problem = _certificateErrors.GetValue(request, _ => new CertificateProblem());
            problem.Errors = errors;
            problem.Names = names;
            return false;
        }

        /// <summary>Why a server certificate was refused, and for a name mismatch the names it is for.</summary>
        private sealed class CertificateProblem
        {
            public SslPolicyErrors Errors { get; set; }

            public IReadOnlyList<string> Names { get; set; } = Array.Empty<string>();
        }

        /// <summary>The certificate chains to <see cref="RegistryClientOptions.ExtraTrustedRoot"/> or to a CA of the host's certs.d folder.</summary>
        private bool ChainsToTrustedRoot(X509Certificate2 certificate, Uri uri)
        {
            IReadOnlyList<X509Certificate2> roots;
            try
            {
                roots = _options.Trust.CertificateAuthoritiesFor(uri);
            }
            catch (RegistryException)
            {
                return false; // An unreadable ca.crt trusts nothing; the untrusted-certificate remediation names the folder.
            }
            if (_options.ExtraTrustedRoot != null) roots = roots.Concat(new[] { _options.ExtraTrustedRoot }).ToList();
            if (roots.Count == 0) return false;
            using var chain = new X509Chain();
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            chain.ChainPolicy.VerificationFlags = X509VerificationFlags.AllowUnknownCertificateAuthority;
            foreach (var root in roots) chain.ChainPolicy.ExtraStore.Add(root);
            if (!chain.Build(certificate)) return false;
            var top = chain.ChainElements[chain.ChainElements.Count - 1].Certificate.RawData;
            return roots.Any(root => top.SequenceEqual(root.RawData));
        }

        private async Task<byte[]> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
        {
            using var timeout = StartDeadline(cancellationToken);
            try
            {
                return await ResponseBodies.ReadAsync(response.Content, _options.MaxBodyBytes, timeout.Token).ConfigureAwait(false)
                    ?? throw TooLarge(response.RequestMessage?.RequestUri?.Authority);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw TimedOut(response.RequestMessage!.RequestUri!, null);
            }
        }

        private RegistryProtocolException TooLarge(string? host) =>
            new RegistryProtocolException(RegistryFailure.ResponseTooLarge, $"{host} sent a response larger than {_options.MaxBodyBytes} bytes, more than any registry answer needs; it was not read.", "Check that SERVER names a registry.");

        public void Dispose()
        {
            if (_ownsSession) _session.Dispose();
        }

        /// <summary>A credential and the origin (scheme, host and port) it was issued for; the header is null for a form.</summary>
        internal class BoundCredential
        {
            public BoundCredential(AuthenticationHeaderValue? header, Uri origin)
            {
                Header = header;
                Origin = origin;
            }

            public AuthenticationHeaderValue? Header { get; }

            public Uri Origin { get; }
        }

        internal sealed class CachedToken : BoundCredential
        {
            public CachedToken(AuthenticationHeaderValue header, Uri origin, DateTimeOffset freshUntil, System.Security.SecureString? refreshToken)
                : base(header, origin)
            {
                FreshUntil = freshUntil;
                RefreshToken = refreshToken;
            }

            public DateTimeOffset FreshUntil { get; }

            public System.Security.SecureString? RefreshToken { get; }
        }
    }
}
