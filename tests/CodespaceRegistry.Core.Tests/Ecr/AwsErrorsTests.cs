using System;
using CodespaceRegistry.Ecr;
using Xunit;

namespace CodespaceRegistry.Tests.Ecr
{
    /// <summary>Every AWS error code the swap can meet, ECR's JSON and STS's XML spellings, maps to the user's fix.</summary>
    public class AwsErrorsTests
    {
        private static readonly AwsEndpoint Ecr = new AwsEndpoint(AwsService.Ecr, new Uri("https://ecr.eu-west-1.amazonaws.com/"), "eu-west-1");

        [Theory]
        [InlineData(AwsService.Ecr, "UnrecognizedClientException", 400, "The security token included in the request is invalid.", "AwsAccessKeyUnknown", ErrorKind.Authentication)]
        [InlineData(AwsService.Sts, "InvalidClientTokenId", 403, "The security token included in the request is invalid.", "AwsAccessKeyUnknown", ErrorKind.Authentication)]
        [InlineData(AwsService.Ecr, "InvalidSignatureException", 400, "The request signature we calculated does not match the signature you provided.", "AwsSecretKeyWrong", ErrorKind.Authentication)]
        [InlineData(AwsService.Sts, "SignatureDoesNotMatch", 403, "The request signature we calculated does not match the signature you provided.", "AwsSecretKeyWrong", ErrorKind.Authentication)]
        [InlineData(AwsService.Ecr, "InvalidSignatureException", 400, "Signature expired: 20261122T010000Z is now earlier than 20261122T020000Z (20261122T020500Z - 5 min.)", "AwsClockSkew", ErrorKind.Authentication)]
        [InlineData(AwsService.Ecr, "InvalidSignatureException", 403, "Credential should be scoped to a valid region, not 'us-east-1'. ", "AwsRegionMismatch", ErrorKind.InvalidArgument)]
        [InlineData(AwsService.Ecr, "AccessDeniedException", 400, "User: arn:aws:iam::123456789012:user/x is not authorized to perform: ecr:GetAuthorizationToken", "AwsPermissionDenied", ErrorKind.PermissionDenied)]
        [InlineData(AwsService.Ecr, "ExpiredTokenException", 400, "The security token included in the request is expired", "AwsCredentialsExpired", ErrorKind.Authentication)]
        [InlineData(AwsService.Ecr, "ServerException", 500, "Internal error", "AwsRequestFailed", ErrorKind.Connection)]
        public void MapsTheCodeToTheFix(AwsService service, string code, int status, string message, string errorId, ErrorKind kind)
        {
            var e = AwsErrors.ToRegistryException(new AwsApiException(service, code, status, message), Ecr, "AKIAIOSFODNN7EXAMPLE");
            Assert.Equal(errorId, e.ErrorId);
            Assert.Equal(kind, e.Kind);
            Assert.IsType<AwsApiException>(e.InnerException);
        }
    }
}
