package io.github.aifallback.test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/**
 * An application with nothing but the starter, for the kit's own tests; its chain, in the
 * tests' {@code application.yml}, has endpoints no test can reach without the simulator.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class KitTestApplication {


}
