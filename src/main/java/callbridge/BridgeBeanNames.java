package callbridge;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.context.annotation.AnnotationBeanNameGenerator;
import org.springframework.util.ClassUtils;

/**
 * Every bean the bridge brings into an application is called {@code bridge...}, so none can clash with a host's
 * ({@code clock}, {@code callStore}, {@code claims}...): a component without a name is {@code bridge} + its class
 * name ({@code Claims} → {@code bridgeClaims}), and a name given in {@code @Component("...")}, which provider route
 * files refer to, must start with {@code bridge} itself. {@code @Bean} methods are named so by hand.
 */
public class BridgeBeanNames extends AnnotationBeanNameGenerator {
    static final String PREFIX = "bridge";

    @Override
    public String generateBeanName(BeanDefinition definition, BeanDefinitionRegistry registry) {
        String name = super.generateBeanName(definition, registry);
        if (!name.startsWith(PREFIX)) {
            throw new IllegalStateException("bean " + name + " (" + definition.getBeanClassName()
                    + ") must be named bridge...: every bean of the bridge is, so none clashes with a host application's");
        }
        return name;
    }

    @Override
    protected String buildDefaultBeanName(BeanDefinition definition) {
        String shortName = ClassUtils.getShortName(definition.getBeanClassName()).replace(".", "");
        return shortName.startsWith("Bridge") ? Character.toLowerCase(shortName.charAt(0)) + shortName.substring(1)
                : PREFIX + shortName;
    }
}
