using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading.Tasks;
using Xunit;

namespace CodespaceRegistry.Tests.Fixtures
{
    /// <summary>The fake's wire format, checked with a bare HttpClient, independent of the client under test.</summary>
    public class FakeGitHubApiTests
    {
        private static HttpRequestMessage Get(Uri uri, string? token = FakeGitHubApi.Token, bool userAgent = true)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, uri);
            if (userAgent) request.Headers.UserAgent.Add(new ProductInfoHeaderValue("test", "1"));
            if (token != null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            return request;
        }

        private static string Header(HttpResponseMessage response, string name) => string.Join(",", response.Headers.GetValues(name));

        [Fact]
        public async Task RefusesARequestWithoutUserAgentAndAnUnknownToken()
        {
            await using var api = await FakeGitHubApi.StartAsync();
            using var http = new HttpClient();

            using var noAgent = await http.SendAsync(Get(new Uri(api.ApiUrl, "user/codespaces/secrets"), userAgent: false));
            Assert.Equal(HttpStatusCode.Forbidden, noAgent.StatusCode);
            Assert.Contains("User-Agent", await noAgent.Content.ReadAsStringAsync());

            using var badToken = await http.SendAsync(Get(new Uri(api.ApiUrl, "user/codespaces/secrets"), "ghp_nope"));
            Assert.Equal(HttpStatusCode.Unauthorized, badToken.StatusCode);
            Assert.Equal("Bad credentials", JsonDocument.Parse(await badToken.Content.ReadAsStringAsync()).RootElement.GetProperty("message").GetString());
        }

        [Fact]
        public async Task AnswersWithScopeAndRateLimitHeadersAndLinkPagination()
        {
            await using var api = await FakeGitHubApi.StartAsync();
            foreach (var i in Enumerable.Range(0, 5)) api.User.Add($"S{i}_CONTAINER_REGISTRY_USER");
            using var http = new HttpClient();

            using var response = await http.SendAsync(Get(new Uri(api.ApiUrl, "user/codespaces/secrets?per_page=2&page=2")));

            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("admin:org, codespace, repo", Header(response, "x-oauth-scopes"));
            Assert.Equal("codespace, codespace:secrets", Header(response, "x-accepted-oauth-scopes"));
            Assert.Equal("5000", Header(response, "x-ratelimit-limit"));
            var link = Header(response, "Link");
            Assert.Contains("page=3>; rel=\"next\"", link);
            Assert.Contains("page=3>; rel=\"last\"", link);
            Assert.Contains("page=1>; rel=\"first\"", link);
            Assert.Contains("page=1>; rel=\"prev\"", link);
            var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(5, body.GetProperty("total_count").GetInt32());
            Assert.Equal(new[] { "S2_CONTAINER_REGISTRY_USER", "S3_CONTAINER_REGISTRY_USER" }, body.GetProperty("secrets").EnumerateArray().Select(s => s.GetProperty("name").GetString()));
            Assert.Equal("all", body.GetProperty("secrets")[0].GetProperty("visibility").GetString());
        }

        [Fact]
        public async Task AGitHubEnterpriseServerAnswersOnlyUnderApiV3()
        {
            await using var api = await FakeGitHubApi.StartAsync("/api/v3");
            api.AddRepository("octo-org/app", "public");
            using var http = new HttpClient();

            using var right = await http.SendAsync(Get(new Uri(api.ApiUrl, "repos/octo-org/app")));
            using var wrong = await http.SendAsync(Get(new Uri(api.ApiUrl, "/repos/octo-org/app")));

            Assert.EndsWith("/api/v3/", api.ApiUrl.AbsoluteUri);
            Assert.Equal(HttpStatusCode.OK, right.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, wrong.StatusCode);
        }
    }
}
