"""Every area's tables, imported so that ``Base.metadata`` (and Alembic) sees the whole schema."""

from linkwell.advice import models as advice_models  # noqa: F401
from linkwell.audit import models as audit_models  # noqa: F401
from linkwell.auth import models as auth_models  # noqa: F401
from linkwell.casework import models as casework_models  # noqa: F401
from linkwell.commissioning import models as commissioning_models  # noqa: F401
from linkwell.db import Base
from linkwell.directory import models as directory_models  # noqa: F401
from linkwell.directory import search_index as directory_search_index  # noqa: F401
from linkwell.evaluation import models as evaluation_models  # noqa: F401
from linkwell.geo import models as geo_models  # noqa: F401
from linkwell.gprecord import models as gprecord_models  # noqa: F401
from linkwell.insights import models as insights_models  # noqa: F401
from linkwell.notifications import models as notifications_models  # noqa: F401
from linkwell.operations import models as operations_models  # noqa: F401
from linkwell.outcomes import models as outcomes_models  # noqa: F401
from linkwell.referrals import models as referrals_models  # noqa: F401

metadata = Base.metadata
