using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using CodespaceRegistry.GitHub;
using CodespaceRegistry.Tests.Fixtures;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace CodespaceRegistry.Tests.GitHub
{
    /// <summary>What a broken or hostile API endpoint cannot do to the client: loop it, flood it, hold it, or lead its token away.</summary>
    public class GitHubClientLimitsTests
    {
        private const string Token = "ghp_Canary-fake-limits-0000";

        private static GitHubClient ClientFor(LoopbackServer server) =>
            new GitHubClient(server.BaseUri, SecureStrings.ToSecureString(Token));

        [Theory]
        [InlineData("self")]
        [InlineData("back")]
        public async Task ANextLinkToAPageAlreadyReadIsDetected(string where)
        {
            var requests = new ConcurrentQueue<string>();
            LoopbackServer? self = null;
            await using var server = await LoopbackServer.StartAsync(async context =>
            {
                requests.Enqueue(context.Request.QueryString.Value ?? "");
                var page = context.Request.Query["page"].ToString();
                var next = where == "self" || page == "2" ? new Uri(self!.BaseUri, "items" + context.Request.QueryString).ToString() : new Uri(self!.BaseUri, "items?per_page=100&page=2").ToString();
                if (where == "back" && page == "2") next = new Uri(self!.BaseUri, "items?per_page=100").ToString();
                context.Response.Headers["Link"] = $"<{next}>; rel=\"next\"";
                await context.Response.WriteAsync("[1]");
            });
            self = server;
            using var client = ClientFor(server);

            var e = await Assert.ThrowsAsync<RegistryException>(() => client.GetAllAsync<int>("items", null, CancellationToken.None));

            Assert.Equal(GitHubErrorIds.PaginationUnbounded, e.ErrorId);
            Assert.Equal(where == "self" ? 1 : 2, requests.Count);
            Assert.DoesNotContain(Token, e.ToString());
        }

        [Fact]
        public async Task PagesAreCapped()
        {
            var requests = 0;
            LoopbackServer? self = null;
            await using var server = await LoopbackServer.StartAsync(async context =>
            {
                var n = Interlocked.Increment(ref requests);
                context.Response.Headers["Link"] = $"<{new Uri(self!.BaseUri, "items?per_page=100&page=" + (n + 1))}>; rel=\"next\"";
                await context.Response.WriteAsync("[1]");
            });
            self = server;
            using var client = ClientFor(server);
            client.MaxPages = 3;

            var e = await Assert.ThrowsAsync<RegistryException>(() => client.GetAllAsync<int>("items", null, CancellationToken.None));

            Assert.Equal(GitHubErrorIds.PaginationUnbounded, e.ErrorId);
            Assert.Equal(ErrorKind.LimitsExceeded, e.Kind);
            Assert.Equal(3, requests);
        }

        [Theory]
        [InlineData(true)]
        [InlineData(false)]
        public async Task AnAnswerLargerThanTheCapIsNotRead(bool declaresLength)
        {
            var body = new string(' ', 64 * 1024) + "{}";
            await using var server = await LoopbackServer.StartAsync(async context =>
            {
                if (declaresLength) context.Response.ContentLength = body.Length;
                for (var i = 0; i < body.Length; i += 4096) await context.Response.WriteAsync(body.Substring(i, Math.Min(4096, body.Length - i)));
            });
            using var client = ClientFor(server);
            client.MaxResponseBytes = 16 * 1024;

            var e = await Assert.ThrowsAsync<RegistryException>(() => client.GetAsync<Dictionary<string, object>>("thing", CancellationToken.None));

            Assert.Equal(GitHubErrorIds.ResponseTooLarge, e.ErrorId);
            Assert.Equal(ErrorKind.LimitsExceeded, e.Kind);
        }

        [Fact]
        public async Task ANextLinkToAnotherOriginIsRefusedAndGetsNoRequest()
        {
            var elsewhere = new ConcurrentQueue<string>();
            await using var other = await LoopbackServer.StartAsync(context =>
            {
                elsewhere.Enqueue(context.Request.Headers.Authorization.ToString());
                return context.Response.WriteAsync("[]");
            });
            await using var server = await LoopbackServer.StartAsync(context =>
            {
                context.Response.Headers["Link"] = $"<{new Uri(other.BaseUri, "items?page=2")}>; rel=\"next\"";
                return context.Response.WriteAsync("[1]");
            });
            using var client = ClientFor(server);

            var e = await Assert.ThrowsAsync<RegistryException>(() => client.GetAllAsync<int>("items", null, CancellationToken.None));

            Assert.Equal(GitHubErrorIds.RequestFailed, e.ErrorId);
            Assert.Contains("another origin", e.Message);
            Assert.Empty(elsewhere);
        }

        [Fact]
        public async Task ARedirectToAnotherOriginCarriesNoToken()
        {
            var elsewhere = new ConcurrentQueue<string>();
            await using var other = await LoopbackServer.StartAsync(context =>
            {
                elsewhere.Enqueue(context.Request.Headers.Authorization.ToString());
                return context.Response.WriteAsync("{\"a\":1}");
            });
            await using var server = await LoopbackServer.StartAsync(context =>
            {
                context.Response.StatusCode = 302;
                context.Response.Headers.Location = new Uri(other.BaseUri, "thing").ToString();
                return Task.CompletedTask;
            });
            using var client = ClientFor(server);

            await client.GetAsync<Dictionary<string, int>>("thing", CancellationToken.None);

            Assert.Equal("", Assert.Single(elsewhere));
        }

        [Fact]
        public async Task AnOperationHasAnOverallDeadline()
        {
            await using var server = await LoopbackServer.StartAsync(context => Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }));
            using var client = ClientFor(server);
            client.OperationTimeout = TimeSpan.FromMilliseconds(300);

            var e = await Assert.ThrowsAsync<RegistryException>(() => client.GetAsync<Dictionary<string, object>>("thing", CancellationToken.None));

            Assert.Equal(GitHubErrorIds.Timeout, e.ErrorId);
            Assert.Equal(ErrorKind.Timeout, e.Kind);
            Assert.NotNull(e.InnerException);
            Assert.DoesNotContain(Token, e.ToString());
        }
    }
}
