using System.Net.Http;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Xunit;

namespace CodespaceRegistry.Tests.Fixtures
{
    public class LoopbackServerTests
    {
        [Fact]
        public async Task ServesOnLoopbackOnly()
        {
            await using var server = await LoopbackServer.StartAsync(context => context.Response.WriteAsync("hello"));
            Assert.Equal("127.0.0.1", server.BaseUri.Host);
            using var client = new HttpClient();
            Assert.Equal("hello", await client.GetStringAsync(server.BaseUri));
        }
    }
}
