using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CodespaceRegistry.Tests.Fixtures
{
    /// <summary>
    /// GitHub's REST API on 127.0.0.1, answering with the status codes, headers and JSON shapes of GitHub's published
    /// description: <c>Bearer</c> tokens (401 "Bad credentials"), <c>x-oauth-scopes</c> for classic tokens and
    /// <c>x-accepted-oauth-scopes</c> per endpoint (404 when a scope is missing), <c>x-ratelimit-*</c> on every answer,
    /// a 403 secondary rate limit with <c>retry-after</c> on demand, ETag/304, <c>Link</c> pagination with
    /// <c>per_page</c>/<c>page</c>, and the GitHub Enterprise Server <c>/api/v3</c> prefix.
    /// Endpoints live in one partial file per concern (repositories, Codespaces secrets, ...): add a file and a
    /// line in <see cref="MapEndpoints"/>.
    /// </summary>
    public sealed partial class FakeGitHubApi : IAsyncDisposable
    {
        /// <summary>A classic token with every scope the secrets endpoints accept.</summary>
        public const string Token = "ghp_fake-classic-token-for-tests";

        public const string DocumentationUrl = "https://docs.github.com/rest";
        public const int RateLimit = 5000;

        private readonly string _prefix;
        private LoopbackServer _server = null!;
        private int _used;
        private int _secondaryLimited;
        private int _primaryLimited;

        private FakeGitHubApi(string prefix)
        {
            _prefix = prefix.Trim('/');
        }

        /// <summary>Starts the fake; <paramref name="prefix"/> <c>/api/v3</c> makes it a GitHub Enterprise Server.</summary>
        public static async Task<FakeGitHubApi> StartAsync(string prefix = "")
        {
            var api = new FakeGitHubApi(prefix);
            api._server = await LoopbackServer.StartAsync(app =>
            {
                app.Use(api.Gate);
                api.MapEndpoints(app.MapGroup(api._prefix.Length == 0 ? "" : "/" + api._prefix));
                app.MapFallback((RequestDelegate)(c => Error(c, 404, "Not Found")));
            });
            return api;
        }

        /// <summary>The API root as GITHUB_API_URL would name it (ends with '/').</summary>
        public Uri ApiUrl => new Uri(_server.BaseUri, _prefix.Length == 0 ? "" : _prefix + "/");

        /// <summary>Known tokens and their classic scopes (<c>"repo, admin:org"</c>); null scopes = a fine-grained token.</summary>
        public ConcurrentDictionary<string, string?> Tokens { get; } = new ConcurrentDictionary<string, string?>
        {
            [Token] = "admin:org, codespace, repo",
        };

        /// <summary>Every request, in order, as it arrived.</summary>
        public ConcurrentQueue<FakeRequest> Requests { get; } = new ConcurrentQueue<FakeRequest>();

        /// <summary>The next <paramref name="count"/> requests answer 403 secondary rate limit with <c>retry-after</c>.</summary>
        public void LimitSecondary(int count, int retryAfterSeconds)
        {
            RetryAfterSeconds = retryAfterSeconds;
            Interlocked.Exchange(ref _secondaryLimited, count);
        }

        /// <summary>The next <paramref name="count"/> requests answer 403 with <c>x-ratelimit-remaining: 0</c> and this reset.</summary>
        public void ExhaustPrimary(int count, DateTimeOffset resetAt)
        {
            PrimaryResetAt = resetAt;
            Interlocked.Exchange(ref _primaryLimited, count);
        }

        private int RetryAfterSeconds { get; set; }

        private DateTimeOffset PrimaryResetAt { get; set; }

        private void MapEndpoints(IEndpointRouteBuilder api)
        {
            MapRepositories(api);
            MapCodespacesSecrets(api);
            MapPackages(api);
        }

        /// <summary>What every request passes before its endpoint: User-Agent, token, rate limits.</summary>
        private async Task Gate(HttpContext c, Func<Task> next)
        {
            try
            {
                await GateCore(c, next);
            }
            finally
            {
                Requests.Enqueue(new FakeRequest(c.Request.Method, c.Request.Path + c.Request.QueryString, c.Request.Headers.UserAgent.ToString(),
                    c.Request.Headers.Authorization.ToString().Split(' ')[0], c.Request.Headers["X-GitHub-Api-Version"].ToString(),
                    c.Request.Headers.IfNoneMatch.ToString(), c.Response.StatusCode));
            }
        }

        private async Task GateCore(HttpContext c, Func<Task> next)
        {
            if (string.IsNullOrEmpty(c.Request.Headers.UserAgent))
            {
                await Error(c, 403, "Request forbidden by administrative rules. Please make sure your request has a User-Agent header (https://docs.github.com/en/rest/overview/resources-in-the-rest-api#user-agent-required).");
                return;
            }
            var authorization = c.Request.Headers.Authorization.ToString().Split(' ', 2);
            if (authorization.Length != 2 || (authorization[0] != "Bearer" && authorization[0] != "token") || !Tokens.TryGetValue(authorization[1], out var scopes))
            {
                await Error(c, 401, "Bad credentials");
                return;
            }
            c.Items[ScopesKey] = scopes;
            if (scopes != null) c.Response.Headers["x-oauth-scopes"] = scopes;
            var used = Interlocked.Increment(ref _used);
            c.Response.Headers["x-ratelimit-limit"] = RateLimit.ToString();
            c.Response.Headers["x-ratelimit-used"] = used.ToString();
            c.Response.Headers["x-ratelimit-resource"] = "core";
            if (Interlocked.Decrement(ref _secondaryLimited) >= 0)
            {
                c.Response.Headers["x-ratelimit-remaining"] = (RateLimit - used).ToString();
                c.Response.Headers["x-ratelimit-reset"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds().ToString();
                c.Response.Headers["retry-after"] = RetryAfterSeconds.ToString();
                await Error(c, 403, "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.");
                return;
            }
            if (Interlocked.Decrement(ref _primaryLimited) >= 0)
            {
                c.Response.Headers["x-ratelimit-remaining"] = "0";
                c.Response.Headers["x-ratelimit-reset"] = PrimaryResetAt.ToUnixTimeSeconds().ToString();
                await Error(c, 403, $"API rate limit exceeded for user ID 1. If you reach out to GitHub Support for help, please include the request ID.");
                return;
            }
            c.Response.Headers["x-ratelimit-remaining"] = (RateLimit - used).ToString();
            c.Response.Headers["x-ratelimit-reset"] = DateTimeOffset.UtcNow.AddHours(1).ToUnixTimeSeconds().ToString();
            await next();
        }

        private const string ScopesKey = "scopes";

        /// <summary>
        /// Sets <c>x-accepted-oauth-scopes</c> and answers 404 (as GitHub does) when a classic token has none of them.
        /// </summary>
        private static async Task<bool> RequireScope(HttpContext c, params string[] accepted)
        {
            c.Response.Headers["x-accepted-oauth-scopes"] = string.Join(", ", accepted);
            if (c.Items[ScopesKey] is not string scopes) return true;
            var granted = scopes.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (accepted.Any(granted.Contains)) return true;
            await Error(c, 404, "Not Found");
            return false;
        }

        private static Task Error(HttpContext c, int status, string message)
        {
            c.Response.StatusCode = status;
            c.Response.ContentType = "application/json; charset=utf-8";
            return c.Response.WriteAsync(JsonSerializer.Serialize(new { message, documentation_url = DocumentationUrl, status = status.ToString() }));
        }

        /// <summary>A JSON body with an ETag; 304 with no body when the request's If-None-Match matches.</summary>
        private static Task Json(HttpContext c, object body, int status = 200)
        {
            var json = JsonSerializer.Serialize(body);
            var etag = "W/\"" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json))) + "\"";
            c.Response.Headers.ETag = etag;
            c.Response.Headers.CacheControl = "private, max-age=60, s-maxage=60";
            if (c.Request.Headers.IfNoneMatch == etag)
            {
                c.Response.StatusCode = 304;
                return Task.CompletedTask;
            }
            c.Response.StatusCode = status;
            c.Response.ContentType = "application/json; charset=utf-8";
            return c.Response.WriteAsync(json);
        }

        /// <summary>
        /// One page of <paramref name="items"/> (<c>per_page</c> default 30, at most 100; <c>page</c> from 1) with a
        /// <c>Link</c> header (next, last, first, prev). <paramref name="envelope"/> wraps it as
        /// <c>{"total_count": n, envelope: [...]}</c>; null answers the bare array.
        /// </summary>
        private static Task Page(HttpContext c, string? envelope, IReadOnlyList<object> items)
        {
            var perPage = Math.Clamp(int.TryParse(c.Request.Query["per_page"], out var pp) ? pp : 30, 1, 100);
            var page = Math.Max(1, int.TryParse(c.Request.Query["page"], out var p) ? p : 1);
            var last = Math.Max(1, (items.Count + perPage - 1) / perPage);
            var slice = items.Skip((page - 1) * perPage).Take(perPage).ToList();

            string Url(int n) => $"{c.Request.Scheme}://{c.Request.Host}{c.Request.PathBase}{c.Request.Path}?per_page={perPage}&page={n}";
            var links = new List<string>();
            if (page < last) links.Add($"<{Url(page + 1)}>; rel=\"next\", <{Url(last)}>; rel=\"last\"");
            if (page > 1) links.Add($"<{Url(1)}>; rel=\"first\", <{Url(page - 1)}>; rel=\"prev\"");
            if (links.Count > 0) c.Response.Headers.Link = string.Join(", ", links);

            return Json(c, envelope == null ? slice : new Dictionary<string, object> { ["total_count"] = items.Count, [envelope] = slice });
        }

        /// <summary>A request body, or a 400 "Problems parsing JSON" answer and null.</summary>
        private static async Task<JsonElement?> ReadBody(HttpContext c)
        {
            try
            {
                using var doc = await JsonDocument.ParseAsync(c.Request.Body);
                return doc.RootElement.Clone();
            }
            catch (JsonException)
            {
                await Error(c, 400, "Problems parsing JSON");
                return null;
            }
        }

        private static string Route(HttpContext c, string name) => (string)c.Request.RouteValues[name]!;

        public ValueTask DisposeAsync() => _server.DisposeAsync();
    }

    /// <summary>A request the fake received: what a test may assert about the client's manners.</summary>
    public sealed record FakeRequest(string Method, string PathAndQuery, string UserAgent, string AuthorizationScheme, string ApiVersion, string IfNoneMatch, int Status);
}
