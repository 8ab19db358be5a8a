package dev.openwif.server.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.openwif.federation.Permissions;
import dev.openwif.federation.ScopeCatalogue;
import dev.openwif.server.gateway.RouteAuthorization.Gap;
import dev.openwif.server.gateway.RouteAuthorization.Verdict;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RouteAuthorizationTest {
  private static final Optional<String> FILES_READ = Optional.of("api.files.read");
  private static final Optional<String> UNMAPPED = Optional.empty();
  private static final Optional<Permissions> DEFAULT_NOW =
      Optional.of(new Permissions.ServiceAccountDefault());

  private static Optional<Permissions> restrictedNow(String... scopes) {
    return Optional.of(new Permissions.Restricted(Set.of(scopes)));
  }

  @Test
  void decideWhenScopeInTokenAndStillGrantedThenAllowed() {
    assertThat(
            RouteAuthorization.decide(
                FILES_READ, Set.of("api.files.read"), restrictedNow("api.files.read")))
        .isInstanceOf(Verdict.Allowed.class);
    assertThat(RouteAuthorization.decide(FILES_READ, ScopeCatalogue.ALL, DEFAULT_NOW))
        .isInstanceOf(Verdict.Allowed.class);
  }

  @Test
  void decideWhenTokenLacksTheScopeThenMissingNotInToken() {
    assertThat(
            RouteAuthorization.decide(
                FILES_READ, Set.of("api.model.read"), restrictedNow("api.model.read")))
        .isEqualTo(new Verdict.MissingScope("api.files.read", Gap.NOT_IN_TOKEN));
  }

  @Test
  void decideWhenRuleNarrowedSinceMintingThenMissingNoLongerGranted() {
    assertThat(
            RouteAuthorization.decide(
                FILES_READ,
                Set.of("api.files.read", "api.model.read"),
                restrictedNow("api.model.read")))
        .isEqualTo(new Verdict.MissingScope("api.files.read", Gap.NO_LONGER_GRANTED));
    assertThat(
            RouteAuthorization.decide(
                FILES_READ, ScopeCatalogue.ALL, restrictedNow("api.model.read")))
        .isEqualTo(new Verdict.MissingScope("api.files.read", Gap.NO_LONGER_GRANTED));
  }

  @Test
  void decideWhenRuleWidenedSinceMintingThenTheOldTokenKeepsItsScopes() {
    assertThat(RouteAuthorization.decide(FILES_READ, Set.of("api.model.read"), DEFAULT_NOW))
        .isEqualTo(new Verdict.MissingScope("api.files.read", Gap.NOT_IN_TOKEN));
    assertThat(
            RouteAuthorization.decide(
                FILES_READ,
                Set.of("api.model.read"),
                restrictedNow("api.model.read", "api.files.read")))
        .isEqualTo(new Verdict.MissingScope("api.files.read", Gap.NOT_IN_TOKEN));
  }

  @Test
  void decideWhenRuleNoLongerEnabledThenRefusedMappedOrNot() {
    assertThat(RouteAuthorization.decide(FILES_READ, ScopeCatalogue.ALL, Optional.empty()))
        .isEqualTo(new Verdict.MissingScope("api.files.read", Gap.RULE_GONE));
    assertThat(RouteAuthorization.decide(UNMAPPED, ScopeCatalogue.ALL, Optional.empty()))
        .isInstanceOf(Verdict.Unmapped.class);
  }

  @Test
  void decideWhenUnmappedRouteAndDefaultRuleWithFullTokenThenAllowed() {
    assertThat(RouteAuthorization.decide(UNMAPPED, ScopeCatalogue.ALL, DEFAULT_NOW))
        .isInstanceOf(Verdict.Allowed.class);
  }

  @Test
  void decideWhenUnmappedRouteAndRestrictedRuleThenDeniedByDefault() {
    assertThat(
            RouteAuthorization.decide(
                UNMAPPED,
                ScopeCatalogue.ALL,
                Optional.of(new Permissions.Restricted(ScopeCatalogue.ALL))))
        .isInstanceOf(Verdict.Unmapped.class);
  }

  @Test
  void decideWhenUnmappedRouteAndRuleWidenedToDefaultAfterARestrictedTokenThenDenied() {
    assertThat(RouteAuthorization.decide(UNMAPPED, Set.of("api.files.read"), DEFAULT_NOW))
        .isInstanceOf(Verdict.Unmapped.class);
  }
}
