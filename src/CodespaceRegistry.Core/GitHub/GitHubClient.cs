using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Security;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace CodespaceRegistry.GitHub
{
    /// <summary>
    /// A small client for GitHub's REST API (github.com or GitHub Enterprise Server): bearer token, User-Agent and
    /// API version on every request, <c>Link</c> pagination, ETag revalidation, rate limits waited out (up to
    /// <see cref="MaxRateLimitWait"/>) or reported, and every failure turned into a <see cref="RegistryException"/>
    /// whose message names the fix (a missing scope names the scope to add). The token never appears in a message.
    /// </summary>
    public sealed class GitHubClient : IDisposable
    {
        public static readonly Uri PublicApiUrl = new Uri("https://api.github.com/");

        /// <summary>The REST API version this client is written against.</summary>
        public const string ApiVersion = "2022-11-28";

        public const string UserAgent = "CodespaceRegistry";

        private const int MaxAttempts = 3;
        private const int MaxPerPage = 100;

        internal static readonly JsonSerializerOptions Json = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            PropertyNameCaseInsensitive = true,
        };

        private static readonly Regex NextLink = new Regex(@"<(?<url>[^>]+)>\s*;\s*rel=""?next""?", RegexOptions.CultureInvariant);

        private readonly HttpClient _http;
        private readonly SecureString _token;
        private readonly TimeProvider _clock;
        private readonly Dictionary<Uri, Page> _etagCache = new Dictionary<Uri, Page>();

        /// <param name="apiUrl">The API root: <see cref="PublicApiUrl"/>, or <c>https://HOST/api/v3/</c> for GitHub Enterprise Server.</param>
        /// <param name="token">A personal access token, GitHub App or Actions token.</param>
        /// <param name="handler">The HTTP handler; not disposed by the client.</param>
        /// <param name="clock">The clock rate-limit waits use.</param>
        public GitHubClient(Uri apiUrl, SecureString token, HttpMessageHandler? handler = null, TimeProvider? clock = null)
        {
            if (apiUrl == null) throw new ArgumentNullException(nameof(apiUrl));
            ApiUrl = apiUrl.AbsoluteUri.EndsWith("/", StringComparison.Ordinal) ? apiUrl : new Uri(apiUrl.AbsoluteUri + "/");
            _token = token ?? throw new ArgumentNullException(nameof(token));
            CheckToken(SecureStrings.Reveal(token));
            _clock = clock ?? TimeProvider.System;
            _http = handler == null ? new HttpClient() : new HttpClient(handler, disposeHandler: false);
        }

        /// <summary>
        /// A client for the API in <c>GITHUB_API_URL</c> (else github.com) with <paramref name="token"/>, else the
        /// token in <c>GH_TOKEN</c> or <c>GITHUB_TOKEN</c>.
        /// </summary>
        public static GitHubClient Create(SecureString? token, Func<string, string?> environment, HttpMessageHandler? handler = null, TimeProvider? clock = null)
        {
            if (environment == null) throw new ArgumentNullException(nameof(environment));
            var apiUrl = ApiUrlFrom(environment("GITHUB_API_URL"));
            if (token == null)
            {
                var fromEnvironment = new[] { "GH_TOKEN", "GITHUB_TOKEN" }.Select(environment).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
                if (fromEnvironment == null)
                {
                    throw new RegistryException(GitHubErrorIds.TokenMissing, ErrorKind.Authentication,
                        "No GitHub token: pass one with -Token, or set GH_TOKEN or GITHUB_TOKEN (for example: $env:GH_TOKEN = gh auth token).");
                }
                token = SecureStrings.ToSecureString(fromEnvironment.Trim());
            }
            return new GitHubClient(apiUrl, token, handler, clock);
        }

        /// <summary>The API root, ending in '/'.</summary>
        public Uri ApiUrl { get; }

        /// <summary>The longest rate-limit wait the client sits out before it reports <see cref="GitHubErrorIds.RateLimited"/>.</summary>
        public TimeSpan MaxRateLimitWait { get; set; } = TimeSpan.FromMinutes(1);

        /// <summary>The most bytes read of one answer; a larger one is <see cref="GitHubErrorIds.ResponseTooLarge"/>.</summary>
        public int MaxResponseBytes { get; set; } = ResponseBodies.DefaultMaxBytes;

        /// <summary>The most pages one list is read in (100 items each).</summary>
        public int MaxPages { get; set; } = 1000;

        /// <summary>The longest one operation (every page, retry and rate-limit wait included) may take.</summary>
        public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromMinutes(5);

        /// <summary><c>GET</c> <paramref name="path"/> (relative to <see cref="ApiUrl"/>) as <typeparamref name="T"/>.</summary>
        public Task<T> GetAsync<T>(string path, CancellationToken cancellationToken) =>
            WithinDeadlineAsync("GET", path, async token =>
            {
                var uri = Resolve(path);
                var page = await SendAsync(HttpMethod.Get, uri, null, token).ConfigureAwait(false);
                return Deserialize<T>(page.Body, uri);
            }, cancellationToken);

        /// <summary>
        /// Every item of a paginated list, following <c>Link: rel="next"</c>. <paramref name="itemsProperty"/> names
        /// the array in an envelope such as <c>{"total_count": 2, "secrets": [...]}</c>; null when the body is the array.
        /// </summary>
        public Task<IReadOnlyList<T>> GetAllAsync<T>(string path, string? itemsProperty, CancellationToken cancellationToken) =>
            WithinDeadlineAsync("GET", path, async token =>
            {
                var items = new List<T>();
                var visited = new HashSet<string>(StringComparer.Ordinal);
                Uri? uri = Resolve(path + (path.IndexOf('?') >= 0 ? "&" : "?") + "per_page=" + MaxPerPage.ToString(CultureInfo.InvariantCulture));
                while (uri != null)
                {
                    if (!visited.Add(uri.AbsoluteUri))
                    {
                        throw new RegistryException(GitHubErrorIds.PaginationUnbounded, ErrorKind.InvalidData,
                            $"GitHub's answer to GET {uri.AbsolutePath} links back to a page already read (Link: rel=\"next\"), so the list never ends. Check that GITHUB_API_URL names the REST API, or a proxy rewrites links.");
                    }
                    if (visited.Count > MaxPages)
                    {
                        throw new RegistryException(GitHubErrorIds.PaginationUnbounded, ErrorKind.LimitsExceeded,
                            $"GET {uri.AbsolutePath} goes on for more than {MaxPages} pages, more than this command reads. Narrow the request (one repository or organization at a time).");
                    }
                    var page = await SendAsync(HttpMethod.Get, uri, null, token).ConfigureAwait(false);
                    items.AddRange(Deserialize<List<T>>(itemsProperty == null ? page.Body : ItemsOf(page.Body, itemsProperty, uri), uri));
                    uri = page.Next;
                }
                return (IReadOnlyList<T>)items;
            }, cancellationToken);

        /// <summary><c>PUT</c> <paramref name="body"/> as JSON; returns the status (201 created, 204 updated).</summary>
        public Task<HttpStatusCode> PutAsync(string path, object body, CancellationToken cancellationToken)
        {
            var json = JsonSerializer.Serialize(body, Json);
            return WithinDeadlineAsync("PUT", path, async token => (await SendAsync(HttpMethod.Put, Resolve(path), json, token).ConfigureAwait(false)).Status, cancellationToken);
        }

        /// <summary><c>DELETE</c> <paramref name="path"/>.</summary>
        public Task DeleteAsync(string path, CancellationToken cancellationToken) =>
            WithinDeadlineAsync("DELETE", path, token => SendAsync(HttpMethod.Delete, Resolve(path), null, token), cancellationToken);

        /// <summary>Runs one operation under <see cref="OperationTimeout"/>; the deadline is <see cref="GitHubErrorIds.Timeout"/>.</summary>
        private async Task<T> WithinDeadlineAsync<T>(string method, string path, Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
        {
            // Real time, not the rate-limit clock: a test clock that sits out waits instantly must not expire the deadline.
            using var timeout = new CancellationTokenSource(OperationTimeout);
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            try
            {
                return await operation(deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                throw new RegistryException(GitHubErrorIds.Timeout, ErrorKind.Timeout,
                    $"{method} {path.Split('?')[0]} on the GitHub API at {ApiUrl} did not finish within {OperationTimeout.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s. " +
                    "Check the network, a proxy, and GITHUB_API_URL; try again later.", e);
            }
        }

        /// <summary>The repository <c>owner/name</c>: its id, visibility and owner.</summary>
        public Task<GitHubRepository> GetRepositoryAsync(string fullName, CancellationToken cancellationToken)
        {
            var (owner, name) = GitHubRepository.SplitFullName(fullName);
            return GetAsync<GitHubRepository>($"repos/{Segment(owner)}/{Segment(name)}", cancellationToken);
        }

        /// <summary>Escapes one path segment.</summary>
        public static string Segment(string value) => Uri.EscapeDataString(value);

        public void Dispose() => _http.Dispose();

        /// <summary>
        /// A token must be one header-safe word: a pasted space or line break would otherwise make .NET reject the
        /// header with a message that quotes the token.
        /// </summary>
        private static void CheckToken(string token)
        {
            if (token.Length == 0 || token.Any(c => c <= ' ' || c > '~'))
            {
                throw new RegistryException(GitHubErrorIds.InvalidToken, ErrorKind.InvalidArgument,
                    "The GitHub token is empty or contains spaces, line breaks or characters outside ASCII. Copy the token again (gh auth token prints it) and pass it without surrounding white space.");
            }
        }

        internal static Uri ApiUrlFrom(string? value)
        {
            if (string.IsNullOrWhiteSpace(value)) return PublicApiUrl;
            if (!Uri.TryCreate(value!.Trim(), UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            {
                throw new RegistryException(GitHubErrorIds.InvalidApiUrl, ErrorKind.InvalidArgument,
                    $"GITHUB_API_URL '{value}' is not an http(s) URL. Set it to https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server.");
            }
            if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
            {
                throw new RegistryException(GitHubErrorIds.InvalidApiUrl, ErrorKind.Security,
                    $"GITHUB_API_URL '{value}' uses plain http, which would send the token unencrypted. Use https://{uri.Authority}{uri.AbsolutePath}.");
            }
            return uri;
        }

        private Uri Resolve(string path) => new Uri(ApiUrl, path.TrimStart('/'));

        private static T Deserialize<T>(string json, Uri uri)
        {
            try
            {
                return JsonSerializer.Deserialize<T>(json, Json) ?? throw Unexpected(uri, "it is empty");
            }
            catch (JsonException e)
            {
                throw Unexpected(uri, "it is not the documented JSON", e);
            }
        }

        /// <summary>The JSON of the array <paramref name="property"/> in an envelope object.</summary>
        private static string ItemsOf(string body, string property, Uri uri)
        {
            var envelope = Deserialize<Dictionary<string, JsonElement>>(body, uri);
            return envelope.TryGetValue(property, out var items) && items.ValueKind == JsonValueKind.Array
                ? items.GetRawText()
                : throw Unexpected(uri, $"it has no '{property}' array");
        }

        private static RegistryException Unexpected(Uri uri, string why, Exception? inner = null) =>
            new RegistryException(GitHubErrorIds.RequestFailed, ErrorKind.InvalidData,
                $"GitHub's answer to GET {uri.AbsolutePath} cannot be read: {why}. Check that GITHUB_API_URL names the REST API (https://HOST/api/v3 for GitHub Enterprise Server).", inner);

        /// <summary>
        /// Every request of this client passes here. The token goes only to the API's own scheme, host and port
        /// (redirects are followed by the handler, which drops <c>Authorization</c>); a URI elsewhere is refused.
        /// </summary>
        private async Task<Page> SendAsync(HttpMethod method, Uri uri, string? json, CancellationToken cancellationToken)
        {
            if (Uri.Compare(uri, ApiUrl, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) != 0)
                throw Unexpected(uri, $"it leads to another origin, {uri.GetLeftPart(UriPartial.Authority)}, where the token must not go");
            for (var attempt = 1; ; attempt++)
            {
                Page? cached = null;
                using var request = new HttpRequestMessage(method, uri);
                request.Headers.UserAgent.Add(new ProductInfoHeaderValue(UserAgent, "1.0"));
                request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.github+json"));
                request.Headers.Add("X-GitHub-Api-Version", ApiVersion);
                request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + SecureStrings.Reveal(_token));
                if (method == HttpMethod.Get)
                {
                    lock (_etagCache) _etagCache.TryGetValue(uri, out cached);
                    if (cached != null) request.Headers.TryAddWithoutValidation("If-None-Match", cached.ETag);
                }
                if (json != null) request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");

                HttpResponseMessage response;
                try
                {
                    response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested))
                {
                    throw new RegistryException(GitHubErrorIds.Unreachable, ErrorKind.Connection,
                        $"The GitHub API at {ApiUrl} could not be reached: {e.Message} Check the network, a proxy, and GITHUB_API_URL.", e);
                }

                using (response)
                {
                    var bytes = await ResponseBodies.ReadAsync(response.Content, MaxResponseBytes, cancellationToken).ConfigureAwait(false)
                        ?? throw new RegistryException(GitHubErrorIds.ResponseTooLarge, ErrorKind.LimitsExceeded,
                            $"GitHub's answer to {method} {uri.AbsolutePath} is larger than {MaxResponseBytes} bytes, more than any page this command reads; it was not read. Check that GITHUB_API_URL names the REST API.");
                    var body = System.Text.Encoding.UTF8.GetString(bytes);
                    if (response.StatusCode == HttpStatusCode.NotModified && cached != null) return cached;
                    if (response.IsSuccessStatusCode)
                    {
                        var page = new Page(response.StatusCode, body, NextPage(response, uri), response.Headers.ETag?.ToString());
                        if (method == HttpMethod.Get && page.ETag != null)
                        {
                            lock (_etagCache) _etagCache[uri] = page;
                        }
                        return page;
                    }

                    var limit = RateLimitOf(response, body);
                    if (limit == null) throw ErrorFor(method, uri, response, body);
                    var wait = limit.Value.Wait;
                    if (wait > MaxRateLimitWait || attempt >= MaxAttempts)
                    {
                        var why = wait > MaxRateLimitWait
                            ? $"longer than this command waits ({MaxRateLimitWait.TotalSeconds:0} s)"
                            : $"and did not lift after {MaxAttempts} tries";
                        throw new RegistryException(GitHubErrorIds.RateLimited, ErrorKind.LimitsExceeded,
                            $"GitHub's {limit.Value.Kind} rate limit stops {method} {uri.AbsolutePath} until {_clock.GetUtcNow() + wait:u}, {why}. " +
                            "Try again after that time, and make fewer requests in a row.");
                    }
                    await _clock.Delay(wait, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        /// <summary>The next page; a link to another origin is refused by <see cref="SendAsync"/> (the token would go with it).</summary>
        private Uri? NextPage(HttpResponseMessage response, Uri current)
        {
            if (!response.Headers.TryGetValues("Link", out var values)) return null;
            var m = NextLink.Match(string.Join(",", values));
            if (!m.Success) return null;
            return new Uri(current, m.Groups["url"].Value);
        }

        private (string Kind, TimeSpan Wait)? RateLimitOf(HttpResponseMessage response, string body)
        {
            var status = (int)response.StatusCode;
            if (status != 403 && status != 429) return null;
            var now = _clock.GetUtcNow();
            var retryAfter = response.Headers.RetryAfter;
            var secondary = status == 429 || MessageOf(body).IndexOf("secondary rate limit", StringComparison.OrdinalIgnoreCase) >= 0;
            var kind = secondary ? "secondary" : "primary";
            if (retryAfter?.Delta is TimeSpan delta) return (kind, delta);
            if (retryAfter?.Date is DateTimeOffset date) return (kind, Max(date - now));
            if (Header(response, "x-ratelimit-remaining") == "0" &&
                long.TryParse(Header(response, "x-ratelimit-reset"), NumberStyles.None, CultureInfo.InvariantCulture, out var reset))
            {
                return ("primary", Max(DateTimeOffset.FromUnixTimeSeconds(reset) - now));
            }
            // GitHub's advice when a secondary limit names no time: wait at least a minute.
            return secondary ? (kind, TimeSpan.FromMinutes(1)) : ((string, TimeSpan)?)null;
        }

        private static TimeSpan Max(TimeSpan wait) => wait < TimeSpan.Zero ? TimeSpan.Zero : wait;

        private static RegistryException ErrorFor(HttpMethod method, Uri uri, HttpResponseMessage response, string body)
        {
            var what = $"{method} {uri.AbsolutePath}";
            var said = MessageOf(body);
            var status = (int)response.StatusCode;
            if (status == 401)
            {
                return new RegistryException(GitHubErrorIds.Unauthorized, ErrorKind.Authentication,
                    $"GitHub refused the token for {what} ({said}): it is wrong, expired or revoked. Create a new token and pass it with -Token or GH_TOKEN; " +
                    "for GitHub Enterprise Server set GITHUB_API_URL to https://HOST/api/v3.");
            }
            if ((status == 403 || status == 404) && MissingScope(Header(response, "x-accepted-oauth-scopes"), Header(response, "x-oauth-scopes")) is string scope)
            {
                var granted = Header(response, "x-oauth-scopes");
                return new RegistryException(GitHubErrorIds.MissingScope, ErrorKind.PermissionDenied,
                    $"The token cannot use {what}: it has the scopes '{granted}' and this needs '{scope}'. " +
                    $"Add the {scope} scope to the token (with the GitHub CLI: gh auth refresh -s {scope}).");
            }
            switch (status)
            {
                case 403:
                    return new RegistryException(GitHubErrorIds.Forbidden, ErrorKind.PermissionDenied,
                        $"GitHub forbids {what} ({said}). Check that the token's owner has the role this needs and, for a fine-grained token, that it grants the permission.");
                case 404:
                    return new RegistryException(GitHubErrorIds.NotFound, ErrorKind.ObjectNotFound,
                        $"GitHub answered 404 for {what}: it does not exist, or the token may not see it (GitHub answers 404 for what a token cannot read). " +
                        "Check the name and the token's access; a fine-grained token must be granted the repository or organization.");
                case 422:
                    return new RegistryException(GitHubErrorIds.ValidationFailed, ErrorKind.InvalidArgument,
                        $"GitHub refused {what}: {said}.");
                default:
                    return new RegistryException(GitHubErrorIds.RequestFailed, ErrorKind.Other,
                        $"GitHub answered {status} {response.ReasonPhrase} for {what} ({said}).");
            }
        }

        /// <summary>
        /// The scope to add when a classic token's scopes (<c>x-oauth-scopes</c>) cover none of those the endpoint
        /// accepts (<c>x-accepted-oauth-scopes</c>); null when it is not a scope problem or cannot be told (fine-grained
        /// tokens send no <c>x-oauth-scopes</c>).
        /// </summary>
        internal static string? MissingScope(string? accepted, string? granted)
        {
            if (string.IsNullOrWhiteSpace(accepted) || granted == null) return null;
            var needs = Scopes(accepted!);
            var has = Scopes(granted);
            return needs.Any(n => has.Any(h => Covers(h, n))) ? null : needs[0];
        }

        private static string[] Scopes(string header) =>
            header.Split(',').Select(s => s.Trim()).Where(s => s.Length > 0).ToArray();

        /// <summary>Whether a granted scope includes a needed one: <c>repo</c> ⊇ <c>repo:status</c>, <c>admin:org</c> ⊇ <c>write:org</c> ⊇ <c>read:org</c>.</summary>
        private static bool Covers(string granted, string needed)
        {
            if (granted == needed || needed.StartsWith(granted + ":", StringComparison.Ordinal)) return true;
            if (needed == "public_repo") return granted == "repo";
            var colon = needed.IndexOf(':');
            if (colon < 0) return false;
            var (level, resource) = (needed.Substring(0, colon), needed.Substring(colon + 1));
            return (level == "read" && (granted == "write:" + resource || granted == "admin:" + resource)) ||
                   (level == "write" && granted == "admin:" + resource);
        }

        private static string? Header(HttpResponseMessage response, string name) =>
            response.Headers.TryGetValues(name, out var values) ? string.Join(", ", values) : null;

        /// <summary>GitHub's <c>message</c> from an error body, or the status when there is none.</summary>
        private static string MessageOf(string body)
        {
            try
            {
                using var doc = JsonDocument.Parse(body);
                if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String)
                {
                    var text = message.GetString() ?? "";
                    return text.Length > 300 ? text.Substring(0, 300) + "…" : text;
                }
            }
            catch (JsonException)
            {
            }
            return "no message";
        }

        private sealed class Page
        {
            public Page(HttpStatusCode status, string body, Uri? next, string? etag)
            {
                Status = status;
                Body = body;
                Next = next;
                ETag = etag;
            }

            public HttpStatusCode Status { get; }
            public string Body { get; }
            public Uri? Next { get; }
            public string? ETag { get; }
        }
    }
}
